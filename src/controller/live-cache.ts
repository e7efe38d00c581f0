// Live state of what Fjord manages on one cluster: one watch per kind that some Application manages,
// filtered by Fjord's managed label, so memory and traffic scale with what Fjord manages, not with
// the cluster. An event on a managed object wakes its owning Application (self-heal in about a second);
// events that change only status or server-owned fields are dropped.
import type { KubeClient, KubeObject } from '../kube/client.js';
import { collectionPath } from '../kube/paths.js';
import type { ResourceInfo } from '../kube/discovery.js';
import { createInformer, type Informer } from '../kube/watch.js';
import { jsonEqual, normalizeForCompare } from '../diff/normalize.js';
import { owningApp } from '../sync/tracking.js';
import { assessHealth, type HealthCheck } from '../health/health.js';

/** Label on every object Fjord manages, so watches can be limited to them (the tracking annotation names the owner). */
export const MANAGED_LABEL = 'fjord.dev/managed';
export const MANAGED_LABEL_VALUE = 'true';

export interface LiveCacheOptions {
  readonly kube: KubeClient;
  readonly trackingAnnotation: string;
  /** Called with the owning Application's name when one of its objects changed in a way that matters. */
  readonly onOwnedChange: (appName: string, obj: KubeObject) => void;
  readonly log?: (msg: string) => void;
  /** User-defined health checks, so their status changes wake the Application too. */
  readonly healthChecks?: ReadonlyMap<string, HealthCheck>;
}

function typeKey(info: ResourceInfo): string {
  return `${info.group}/${info.version}/${info.resource}`;
}

function sameHealth(a: KubeObject, b: KubeObject, checks?: ReadonlyMap<string, HealthCheck>): boolean {
  const ha = assessHealth(a, checks);
  const hb = assessHealth(b, checks);
  return ha?.status === hb?.status && ha?.message === hb?.message;
}

export class LiveCache {
  private readonly informers = new Map<string, { info: ResourceInfo; informer: Informer }>();
  /** Application name → its objects by type and name, kept from the watch events, so ownedBy never scans the cache. */
  private readonly byOwner = new Map<string, Map<string, KubeObject>>();

  constructor(private readonly opts: LiveCacheOptions) {}

  /** Starts watching a kind (once) and resolves when its initial list is in. */
  async watch(info: ResourceInfo): Promise<Informer> {
    const key = typeKey(info);
    let entry = this.informers.get(key);
    if (!entry) {
      const informer = createInformer(this.opts.kube, {
        path: collectionPath(info),
        labelSelector: `${MANAGED_LABEL}=${MANAGED_LABEL_VALUE}`,
        onEvent: (type, obj, old) => { this.index(key, type, obj, old); this.onEvent(type, obj, old); },
        ...(this.opts.log ? { log: this.opts.log } : {}),
      });
      entry = { info, informer };
      this.informers.set(key, entry);
      informer.start();
    }
    await entry.informer.synced();
    return entry.informer;
  }

  private index(type: string, event: string, obj: KubeObject, old: KubeObject | undefined): void {
    const entry = `${type}|${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    const drop = (o: KubeObject): void => {
      const app = owningApp(o, this.opts.trackingAnnotation);
      const owned = app === undefined ? undefined : this.byOwner.get(app);
      if (!owned || app === undefined) return;
      owned.delete(entry);
      if (owned.size === 0) this.byOwner.delete(app);
    };
    if (old) drop(old);
    if (event === 'DELETED') { drop(obj); return; }
    const app = owningApp(obj, this.opts.trackingAnnotation);
    if (app === undefined) return;
    let owned = this.byOwner.get(app);
    if (!owned) { owned = new Map(); this.byOwner.set(app, owned); }
    owned.set(entry, obj);
  }

  private onEvent(type: string, obj: KubeObject, old: KubeObject | undefined): void {
    const app = owningApp(obj, this.opts.trackingAnnotation) ?? (old ? owningApp(old, this.opts.trackingAnnotation) : undefined);
    if (!app) return;
    // A change of status alone matters only when it changes the object's health (a rollout finishing).
    if (type === 'MODIFIED' && old && jsonEqual(normalizeForCompare(old), normalizeForCompare(obj)) && sameHealth(old, obj, this.opts.healthChecks)) return;
    this.opts.onOwnedChange(app, obj);
  }

  get(info: ResourceInfo, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.informers.get(typeKey(info))?.informer.get(info.namespaced ? namespace : undefined, name);
  }

  /** Every watched object that names `appName` in its tracking annotation. */
  ownedBy(appName: string): KubeObject[] {
    return [...(this.byOwner.get(appName)?.values() ?? [])];
  }

  watchedTypes(): ResourceInfo[] {
    return [...this.informers.values()].map((e) => e.info);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((e) => e.informer.stop()));
    this.informers.clear();
    this.byOwner.clear();
  }
}
