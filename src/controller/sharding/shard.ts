// The controller's view of sharding: which Application keys this replica may enqueue, a gate around
// each reconcile (a key it does not own is dropped; a key it owns but another member may still be
// working on waits, and is enqueued again once that member has published a view without it), and the
// drain that lets a view change wait for reconciles of keys that are moving away.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../../kube/client.js';
import type { Logger } from '../../util/log.js';
import { ShardMembership } from './membership.js';

export interface ShardSettings {
  /** This replica's identity among the members (default: host name, process ID and a random suffix). */
  readonly replicaId?: string;
  /** How long a member counts after its last renewal (default 15 s); it renews every third of that. */
  readonly leaseDurationMs?: number;
}

export const DEFAULT_LEASE_DURATION_MS = 15_000;

export function defaultReplicaId(): string {
  return process.env['POD_NAME'] ?? `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

export interface ShardDeps {
  readonly kube: KubeClient;
  readonly namespace: string;
  readonly log: Logger;
  /** Every Application key the controller knows. */
  readonly keys: () => string[];
  readonly enqueue: (key: string) => void;
}

export class Shard {
  private readonly running = new Map<string, Promise<unknown>>();
  /** Owned keys that waited for another member to let go of them. */
  private readonly waiting = new Set<string>();
  /** Keys owned in the last published view. */
  private readonly known = new Set<string>();
  readonly membership: ShardMembership;

  private constructor(private readonly deps: ShardDeps, settings: ShardSettings) {
    this.membership = new ShardMembership({
      kube: deps.kube, namespace: deps.namespace, log: deps.log,
      replicaId: settings.replicaId ?? defaultReplicaId(), leaseDurationMs: settings.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS,
      drain: (keep) => this.drain(keep),
      onChange: (viewChanged) => { this.wake(viewChanged); },
    });
  }

  /** Joins the members and returns once this replica's first view is published. */
  static async start(deps: ShardDeps, settings: ShardSettings = {}): Promise<Shard> {
    const shard = new Shard(deps, settings);
    await shard.membership.start();
    return shard;
  }

  get replicaId(): string {
    return this.membership.replicaId;
  }

  /** Whether this replica should queue the key at all. */
  owns(key: string): boolean {
    return this.membership.owns(key);
  }

  /** Runs `fn` for the key when this replica may reconcile it now; otherwise resolves with nothing. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (!this.membership.mayStart(key)) {
      // A key that falls due while fenced is kept too: after the renewal it may be this replica's
      // again, and its requeue would otherwise be lost (found at 300 apps under load).
      if (this.membership.owns(key) || this.membership.isFenced()) this.waiting.add(key);
      return undefined;
    }
    this.waiting.delete(key);
    const p = fn();
    this.running.set(key, p);
    try {
      return await p;
    } finally {
      this.running.delete(key);
    }
  }

  /** Stops membership; see ShardMembership.stop. Call after the queue has stopped. */
  stop(release = true): Promise<void> {
    return this.membership.stop(release);
  }

  private async drain(keep: (key: string) => boolean): Promise<void> {
    const leaving = [...this.running].filter(([key]) => !keep(key)).map(([, p]) => p.catch(() => undefined));
    for (const key of this.waiting) if (!keep(key)) this.waiting.delete(key);
    await Promise.all(leaving);
  }

  /** Enqueues owned keys that are new to this replica and those that were waiting and may start now. */
  private wake(viewChanged: boolean): void {
    for (const key of this.waiting) if (this.membership.mayStart(key)) this.deps.enqueue(key);
    if (!viewChanged) return;
    const owned = new Set(this.deps.keys().filter((k) => this.membership.owns(k)));
    for (const key of owned) if (!this.known.has(key)) this.deps.enqueue(key);
    this.known.clear();
    for (const key of owned) this.known.add(key);
  }
}
