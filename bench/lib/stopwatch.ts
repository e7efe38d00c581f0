// The stopwatch of scenarios 1 and 2: the benchmark's own watch on the latency app's ConfigMaps and
// Deployments; every event is time-stamped on arrival, and waiters resolve with the arrival time of
// the first event that satisfies them.
import type { KubeClient, KubeObject } from '../../src/kube/client.js';
import { createInformer, type Informer } from '../../src/kube/watch.js';
import { EventLog } from './event-log.js';

export type { Check, SeenEvent } from './event-log.js';
import { LATENCY_NS } from './workload.js';

export class Stopwatch extends EventLog {
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
