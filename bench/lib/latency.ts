// Scenarios 1 and 2 on the latency app (10 ConfigMaps + 10 Deployments, its own repository):
//   push-to-applied: `git push` returning → the new ConfigMap value seen by the benchmark's watch;
//   drift-to-reverted: a manual scale, edit or delete returning → the object back at Git's state.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../../src/kube/client.js';
import type { WorkingCopy } from '../../src/dev/git/repos.js';
import { dataValue, rv, specReplicas, type Check, type Stopwatch } from './stopwatch.js';
import type { ToolUnderTest } from './tool.js';
import { LATENCY_NS, LATENCY_OBJECTS, LATENCY_REPLICAS, configMapYaml, latencyCm, latencyDep } from './workload.js';

export interface LatencyRig {
  readonly kube: KubeClient;
  readonly tool: ToolUnderTest;
  readonly repo: WorkingCopy;
  readonly watch: Stopwatch;
  /** Git's value of each latency ConfigMap. */
  readonly values: Map<string, string>;
  head: string;
  /** Optional: tell the tool about the push (the webhook variant); resolves when the hook returned. */
  readonly notify?: () => Promise<void>;
}

/**
 * Pushes of a polling sample start at a random moment within the poll interval: a push right after
 * the previous sample was applied would always land just after a poll and measure the worst case.
 */
function spreadMs(rig: LatencyRig): number {
  return rig.notify ? 0 : Math.random() * rig.tool.pollIntervalMs;
}

export interface DriftSample { readonly kind: DriftKind; readonly object: string; readonly ms: number | null }
type DriftKind = 'scale' | 'edit' | 'delete';

/** Waits until the tool reports the latency app applied and healthy at HEAD (between samples). */
export async function settle(rig: LatencyRig, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (rig.tool.latencyAppReady(rig.head)) return true;
    await sleep(100);
  }
  return false;
}

export async function pushSample(rig: LatencyRig, i: number, timeoutMs: number): Promise<number | null> {
  const name = latencyCm(i);
  const value = `commit-${i + 1}-${Math.random().toString(36).slice(2, 8)}`;
  rig.repo.write({ [`latency/${name}.yaml`]: configMapYaml(name, value) });
  const sha = await rig.repo.commit(`${name}: ${value}`);
  await sleep(spreadMs(rig));
  const mark = rig.watch.mark();
  await rig.repo.push();
  const pushed = performance.now();
  if (rig.notify) await rig.notify();
  const at = await rig.watch.waitFor(mark, (e) => e.obj.kind === 'ConfigMap' && e.obj.metadata?.name === name && e.type !== 'DELETED' && dataValue(e.obj) === value, timeoutMs);
  rig.values.set(name, value);
  rig.head = sha;
  await settle(rig, timeoutMs);
  return at === undefined ? null : Math.round(at - pushed);
}

/** The object the i-th drift changes: scales walk lat-web-00, 01…; edits and deletes the ConfigMaps. */
function driftTarget(i: number): { kind: DriftKind; name: string } {
  const kinds: readonly DriftKind[] = ['scale', 'edit', 'delete'];
  const kind = kinds[i % kinds.length] ?? 'scale';
  const k = Math.floor(i / kinds.length);
  return kind === 'scale' ? { kind, name: latencyDep(k) } : { kind, name: latencyCm(kind === 'edit' ? 2 * k : 2 * k + 1) };
}

async function drift(rig: LatencyRig, kind: DriftKind, name: string, i: number): Promise<Check> {
  const depUrl = `/apis/apps/v1/namespaces/${LATENCY_NS}/deployments/${name}`;
  const cmUrl = `/api/v1/namespaces/${LATENCY_NS}/configmaps/${name}`;
  const want = rig.values.get(name) ?? 'initial';
  const same = (e: Parameters<Check>[0], k: string): boolean => e.obj.kind === k && e.obj.metadata?.name === name && e.type !== 'DELETED';
  switch (kind) {
    case 'scale': {
      const after = rv(await rig.kube.request('PATCH', `${depUrl}/scale`, { body: { spec: { replicas: LATENCY_REPLICAS + 2 } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'kubectl-scale' } }));
      return (e) => same(e, 'Deployment') && rv(e.obj) > after && specReplicas(e.obj) === LATENCY_REPLICAS;
    }
    case 'edit': {
      const after = rv(await rig.kube.request('PATCH', cmUrl, { body: { data: { value: `edited-by-hand-${i}` } }, contentType: 'application/strategic-merge-patch+json', query: { fieldManager: 'kubectl-edit' } }));
      return (e) => same(e, 'ConfigMap') && rv(e.obj) > after && dataValue(e.obj) === want;
    }
    case 'delete': {
      const uid = rig.watch.configMap(name)?.metadata?.['uid'];
      await rig.kube.delete(cmUrl);
      return (e) => same(e, 'ConfigMap') && e.obj.metadata?.['uid'] !== uid && dataValue(e.obj) === want;
    }
  }
}

/**
 * One manual change and the time until it is reverted. An object is changed at most once per
 * `reuseGapMs` (Fjord deliberately backs off self-heal of an object whose drift keeps coming back).
 */
export async function driftSample(rig: LatencyRig, i: number, timeoutMs: number, lastChange: Map<string, number>, reuseGapMs: number): Promise<DriftSample> {
  const { kind, name } = driftTarget(i);
  const last = lastChange.get(name);
  if (last !== undefined) await sleep(Math.max(0, last + reuseGapMs - performance.now()));
  const mark = rig.watch.mark();
  // The clock starts when the change is sent: Fjord may put a deleted object back before the DELETE's
  // own response has arrived here.
  const changed = performance.now();
  const check = await drift(rig, kind, name, i);
  lastChange.set(name, changed);
  const at = await rig.watch.waitFor(mark, check, timeoutMs);
  await sleep(500);
  return { kind, object: `${kind === 'scale' ? 'Deployment' : 'ConfigMap'}/${name}`, ms: at === undefined ? null : Math.round(at - changed) };
}

export const LATENCY_RESOURCES = LATENCY_OBJECTS * 2;
