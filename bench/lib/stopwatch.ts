// The stopwatch of scenarios 1 and 2: the benchmark's own watch on the latency app's ConfigMaps and
// Deployments; every event is time-stamped on arrival, and waiters resolve with the arrival time of
// the first event that satisfies them.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient, KubeObject } from '../../src/kube/client.js';
import { createInformer, type Informer, type WatchEventType } from '../../src/kube/watch.js';
import { LATENCY_NS } from './workload.js';

export interface SeenEvent { readonly type: WatchEventType; readonly obj: KubeObject; readonly at: number }
export type Check = (e: SeenEvent) => boolean;

export class Stopwatch {
  private readonly events: SeenEvent[] = [];
  private dropped = 0;
  private readonly waiters = new Set<{ check: Check; resolve: (at: number) => void }>();
  private informers: Informer[] = [];

  static async start(kube: KubeClient): Promise<Stopwatch> {
    const sw = new Stopwatch();
    const watch = (kind: string, path: string): Informer => createInformer(kube, { path, onEvent: (t, o) => { sw.record(t, { ...o, kind }); } });
    sw.informers = [watch('ConfigMap', `/api/v1/namespaces/${LATENCY_NS}/configmaps`), watch('Deployment', `/apis/apps/v1/namespaces/${LATENCY_NS}/deployments`)];
    for (const i of sw.informers) i.start();
    await Promise.all(sw.informers.map((i) => i.synced()));
    return sw;
  }

  configMap(name: string): KubeObject | undefined {
    return this.informers[0]?.get(LATENCY_NS, name);
  }

  private record(type: WatchEventType, obj: KubeObject): void {
    const e = { type, obj, at: performance.now() };
    this.events.push(e);
    if (this.events.length > 5000) { this.events.splice(0, 1000); this.dropped += 1000; }
    for (const w of this.waiters) if (w.check(e)) { this.waiters.delete(w); w.resolve(e.at); }
  }

  /** A position in the log: waitFor(mark, …) also considers events that arrived since then. */
  mark(): number {
    return this.dropped + this.events.length;
  }

  /** The arrival time of the first event since `mark` that passes `check`, or undefined after `timeoutMs`. */
  async waitFor(mark: number, check: Check, timeoutMs: number): Promise<number | undefined> {
    const seen = this.events.slice(Math.max(0, mark - this.dropped)).find(check);
    if (seen) return seen.at;
    let waiter: { check: Check; resolve: (at: number) => void } | undefined;
    const hit = new Promise<number>((resolve) => { waiter = { check, resolve }; this.waiters.add(waiter); });
    const ac = new AbortController();
    const timeout = sleep(timeoutMs, undefined, { signal: ac.signal }).catch(() => undefined);
    const at = await Promise.race([hit, timeout]);
    ac.abort();
    if (waiter) this.waiters.delete(waiter);
    return at;
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }
}

export const rv = (obj: KubeObject): bigint => {
  const v = obj.metadata?.resourceVersion;
  return v && /^\d+$/.test(v) ? BigInt(v) : 0n;
};
export const dataValue = (obj: KubeObject): unknown => (obj['data'] as Record<string, unknown> | undefined)?.['value'];
export const specReplicas = (obj: KubeObject): unknown => (obj['spec'] as Record<string, unknown> | undefined)?.['replicas'];
