// One replica's membership in the controller shard group. It holds and renews its own Lease, watches
// the others' (an informer, no polling), and moves between views of the live members in a fixed order:
// 1. a new view is adopted locally: keys it no longer owns are not started any more;
// 2. reconciles of those keys still running are waited for (drain);
// 3. the view is published on its own Lease (the replica now claims exactly its keys in that view);
// 4. all member Leases are listed afresh (a quorum read), then newly owned keys may start, each only
//    once no other live member's published view gives it that key (see docs/adr/0010-sharding.md).
// A replica that cannot renew for two thirds of the lease duration fences itself: it owns nothing.
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { KubeApiError } from '../../kube/client.js';
import { createInformer, type Informer } from '../../kube/watch.js';
import type { Logger } from '../../util/log.js';
import { leaseName, leaseObject, leaseRecord, leasesPath, MEMBER_LABEL, renewPatch } from './lease.js';
import { MemberTable, normalizeView, sameView } from './members.js';
import { ownerOf } from './ring.js';

export interface MembershipOptions {
  readonly kube: KubeClient;
  readonly namespace: string;
  readonly replicaId: string;
  readonly leaseDurationMs: number;
  /** Default: a third of the lease duration. */
  readonly renewIntervalMs?: number;
  readonly log: Logger;
  /** Resolves once no reconcile of a key for which `keep` is false runs any more. */
  readonly drain: (keep: (key: string) => boolean) => Promise<void>;
  /** A view was published (`viewChanged`) or another member's lease changed: keys may have become reconcilable here. */
  readonly onChange: (viewChanged: boolean) => void;
  readonly now?: () => number;
}

export class ShardMembership {
  private readonly table = new MemberTable();
  private readonly now: () => number;
  private readonly renewMs: number;
  private informer: Informer | undefined;
  /** The view adopted locally (step 1) and the one published with a fresh list behind it (step 4). */
  private adopted: string[] = [];
  private published: string[] = [];
  private fenced = false;
  private lastRenewAt = 0;
  private transition: Promise<void> | undefined;
  private stopped = false;
  private renewTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: MembershipOptions) {
    this.now = opts.now ?? ((): number => performance.now());
    this.renewMs = opts.renewIntervalMs ?? Math.max(200, Math.floor(opts.leaseDurationMs / 3));
  }

  get replicaId(): string {
    return this.opts.replicaId;
  }

  /** Whether this replica owns the key in the view it has adopted (it may still wait to start it). */
  owns(key: string): boolean {
    return ownerOf(key, this.adopted) === this.opts.replicaId;
  }

  /** Whether this replica is fenced (its lease not renewed in time): it owns nothing until it is. */
  isFenced(): boolean {
    return this.fenced;
  }

  /** Whether a reconcile of the key may start here now. */
  mayStart(key: string): boolean {
    const self = this.opts.replicaId;
    return !this.fenced && ownerOf(key, this.adopted) === self && ownerOf(key, this.published) === self
      && this.table.othersClearOf(key, self, this.now());
  }

  /** The members of the published view. */
  members(): readonly string[] {
    return this.published;
  }

  async start(): Promise<void> {
    await this.createLease();
    await this.watchLeases();
    this.scheduleRenew();
    this.reconsider();
    await this.settled();
  }

  /** Resolves when no view change is in progress. */
  async settled(): Promise<void> {
    while (this.transition) await this.transition;
  }

  /**
   * Stops renewing. With `release` (a graceful stop, after every reconcile has ended) the lease first
   * says it claims nothing and is then deleted, so the others take over at once; without, it is left
   * to expire, as after a crash.
   */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    clearTimeout(this.renewTimer);
    clearTimeout(this.expiryTimer);
    await this.transition?.catch(() => undefined);
    await this.informer?.stop();
    if (!release) return;
    const path = `${leasesPath(this.opts.namespace)}/${leaseName(this.opts.replicaId)}`;
    try {
      await this.opts.kube.request('PATCH', path, { body: renewPatch(Date.now(), []), contentType: 'application/merge-patch+json' });
      await this.opts.kube.delete(path);
    } catch (e) {
      this.opts.log.warn('could not release the shard lease', { lease: `${this.opts.namespace}/${leaseName(this.opts.replicaId)}`, error: (e as Error).message });
    }
  }

  /** (Re)starts the informer on member Leases; a fresh one lists at once instead of waiting out a backoff. */
  private async watchLeases(): Promise<void> {
    if (this.stopped) return;
    const old = this.informer;
    const informer = createInformer(this.opts.kube, {
      path: leasesPath(this.opts.namespace), labelSelector: `${MEMBER_LABEL}=true`,
      onEvent: (type, obj) => { if (this.informer === informer) this.onLease(type, obj); },
      log: (m) => { this.opts.log.debug(m); },
    });
    this.informer = informer;
    await old?.stop();
    informer.start();
    await informer.synced();
  }

  private async createLease(): Promise<void> {
    const obj = leaseObject(this.opts.namespace, this.opts.replicaId, this.opts.leaseDurationMs, [], Date.now());
    const sentAt = this.now();
    try {
      await this.opts.kube.create(leasesPath(this.opts.namespace), obj);
    } catch (e) {
      if (!(e instanceof KubeApiError && e.status === 409)) throw new Error(`Lease ${this.opts.namespace}/${leaseName(this.opts.replicaId)}: cannot create the shard lease: ${(e as Error).message}`, { cause: e });
      // A lease of an earlier run (or of this one, when fenced) with the same replica ID: take it over, claiming nothing yet.
      const { apiVersion: _a, kind: _k, ...patch } = obj;
      await this.opts.kube.request('PATCH', `${leasesPath(this.opts.namespace)}/${leaseName(this.opts.replicaId)}`, { body: patch, contentType: 'application/merge-patch+json', timeoutMs: this.fenceAfterMs() });
    }
    this.lastRenewAt = sentAt;
  }

  private onLease(type: string, obj: KubeObject): void {
    const record = leaseRecord(obj);
    if (!record) return;
    const changed = type === 'DELETED' ? this.table.remove(record) : this.table.observe(record, this.now());
    if (type === 'DELETED' && record.holder === this.opts.replicaId && !this.stopped) {
      this.opts.log.warn('the shard lease of this replica was deleted: fenced until it is renewed', { lease: record.name });
      this.fence();
    }
    if (changed) this.reconsider();
  }

  /** Re-derives the live view; starts a transition when it differs, else tells the owner things changed. */
  private reconsider(): void {
    if (this.stopped) return;
    this.armExpiryTimer();
    if (this.transition) return; // the running transition re-derives the view before it ends
    if (sameView(this.liveView(), this.published) && sameView(this.adopted, this.published)) {
      this.opts.onChange(false);
      return;
    }
    this.transition = this.runTransitions().finally(() => { this.transition = undefined; });
  }

  private liveView(): string[] {
    if (this.fenced) return [];
    return normalizeView([this.opts.replicaId, ...this.table.liveOthers(this.opts.replicaId, this.now())]);
  }

  /** Moves view by view until the live members match the published view (a fresh list may show more). */
  private async runTransitions(): Promise<void> {
    while (!this.stopped) {
      const view = this.liveView();
      if (sameView(view, this.published) && sameView(this.adopted, this.published)) break;
      try {
        await this.moveTo(view);
      } catch (e) {
        this.opts.log.warn('could not publish the shard view; retrying', { view, error: (e as Error).message });
        await new Promise((r) => setTimeout(r, Math.min(1000, this.renewMs)));
      }
    }
    this.armExpiryTimer();
    this.opts.onChange(true);
  }

  private async moveTo(view: string[]): Promise<void> {
    const self = this.opts.replicaId;
    this.adopted = view;
    await this.opts.drain((key) => ownerOf(key, view) === self);
    const sentAt = this.now();
    await this.opts.kube.request('PATCH', `${leasesPath(this.opts.namespace)}/${leaseName(self)}`, { body: renewPatch(Date.now(), view), contentType: 'application/merge-patch+json', timeoutMs: this.fenceAfterMs() });
    this.renewed(sentAt);
    const list = await this.opts.kube.get<{ items?: KubeObject[] }>(leasesPath(this.opts.namespace), { query: { labelSelector: `${MEMBER_LABEL}=true` } });
    for (const item of list.items ?? []) {
      const r = leaseRecord(item);
      if (r) this.table.observe(r, this.now());
    }
    this.published = view;
    this.opts.log.info('shard view published', { replica: self, members: view });
  }

  /** Renews every renewMs counted from when the previous renewal was sent, so a slow answer does not push the next one late. */
  private scheduleRenew(delayMs = this.renewMs): void {
    if (this.stopped) return;
    this.renewTimer = setTimeout(() => {
      const sentAt = this.now();
      void this.renew().finally(() => { this.scheduleRenew(Math.max(0, sentAt + this.renewMs - this.now())); });
    }, delayMs);
  }

  private async renew(): Promise<void> {
    const path = `${leasesPath(this.opts.namespace)}/${leaseName(this.opts.replicaId)}`;
    const sentAt = this.now();
    try {
      if (this.fenced) await this.createLease();
      else await this.opts.kube.request('PATCH', path, { body: renewPatch(Date.now()), contentType: 'application/merge-patch+json', timeoutMs: this.fenceAfterMs() });
      this.renewed(sentAt);
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) this.fence();
      this.opts.log.warn('could not renew the shard lease', { lease: `${this.opts.namespace}/${leaseName(this.opts.replicaId)}`, error: (e as Error).message });
      if (this.now() - this.lastRenewAt >= this.fenceAfterMs()) this.fence();
    }
  }

  private renewed(sentAt: number): void {
    this.lastRenewAt = Math.max(this.lastRenewAt, sentAt);
    if (!this.fenced) return;
    this.fenced = false;
    this.opts.log.info('shard lease renewed: no longer fenced', { replica: this.opts.replicaId });
    // The lease watch may be waiting out a long backoff after the outage: without fresh events the
    // others' leases would look expired. A new informer lists them now.
    this.watchLeases().then(() => { this.reconsider(); }, (e: unknown) => { this.opts.log.warn('could not watch the shard leases', { error: (e as Error).message }); });
    this.reconsider();
  }

  /** Two thirds of the lease: the others count it for the whole duration from when they saw the renewal. */
  private fenceAfterMs(): number {
    return Math.floor((this.opts.leaseDurationMs * 2) / 3);
  }

  private fence(): void {
    if (this.fenced) return;
    this.fenced = true;
    // Others may take over while fenced: nothing published before counts any more (the lease is
    // re-created with an empty view before this replica claims anything again).
    this.adopted = [];
    this.published = [];
    this.opts.log.warn('shard lease not renewed in time: this replica reconciles nothing until it is', { replica: this.opts.replicaId });
    this.reconsider();
  }

  private armExpiryTimer(): void {
    clearTimeout(this.expiryTimer);
    if (this.stopped) return;
    const now = this.now();
    const next = this.table.nextExpiry(now);
    const fenceAt = this.fenced ? undefined : this.lastRenewAt + this.fenceAfterMs();
    const at = Math.min(next ?? Infinity, fenceAt ?? Infinity);
    if (!Number.isFinite(at)) return;
    this.expiryTimer = setTimeout(() => { this.onTimer(); }, Math.max(0, at - now) + 5);
  }

  private onTimer(): void {
    if (!this.fenced && this.now() - this.lastRenewAt >= this.fenceAfterMs()) this.fence();
    else this.reconsider();
  }
}
