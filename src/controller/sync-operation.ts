// One step of a sync operation. A sync is re-entrant, as in Argo CD: each reconcile applies the
// earliest wave that is out of sync, or waits while an earlier wave is not yet healthy, and reports
// Running; the next reconcile (woken by the watch events the apply caused) goes on from there. So
// a controller restarted mid-sync resumes from status.operationState without redoing finished waves.
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { ResourceInfo } from '../kube/discovery.js';
import type { HealthStatus } from '../health/types.js';
import { applyObject, pruneObject, type ApplyOutcome } from '../sync/apply.js';
import { resourceDisallows, type SyncOptions } from '../sync/options.js';
import { syncWave, waves, type Ordered } from '../sync/order.js';
import { groupOf } from '../sync/tracking.js';
import type { ResourceResult, OperationPhase } from './app-status.js';
import type { Comparison } from './compare.js';

export interface SyncStepInput {
  readonly kube: KubeClient;
  readonly fieldManager: string;
  readonly comparisons: readonly Comparison[];
  readonly extras: readonly { obj: KubeObject; info: ResourceInfo }[];
  readonly prune: boolean;
  readonly options: SyncOptions;
  readonly healthOf: (c: Comparison) => HealthStatus | undefined;
  readonly previous: readonly ResourceResult[];
}

export interface SyncStepResult {
  readonly phase: OperationPhase;
  readonly message: string;
  readonly results: ResourceResult[];
}

interface Item extends Ordered { readonly c: Comparison }

function toResult(obj: KubeObject, info: ResourceInfo, status: ResourceResult['status'], message: string): ResourceResult {
  return { group: groupOf(obj.apiVersion), version: info.version, kind: obj.kind ?? '', namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '', status, message, syncPhase: 'Sync', syncWave: syncWave(obj) };
}

function merge(previous: readonly ResourceResult[], next: readonly ResourceResult[]): ResourceResult[] {
  const key = (r: ResourceResult): string => `${r.group}/${r.kind}/${r.namespace}/${r.name}`;
  const out = new Map(previous.map((r) => [key(r), r]));
  for (const r of next) out.set(key(r), r);
  return [...out.values()];
}

const READY: ReadonlySet<HealthStatus | undefined> = new Set([undefined, 'Healthy', 'Suspended']);

async function applyWave(input: SyncStepInput, wave: readonly Item[]): Promise<ResourceResult[]> {
  const todo = wave.filter((i) => i.c.status === 'OutOfSync' && i.c.desired);
  const outcomes = await Promise.all(todo.map(async (i): Promise<[Item, ApplyOutcome]> => {
    const d = i.c.desired;
    if (!d) return [i, { action: 'unchanged', message: '' }];
    return [i, await applyObject(input.kube, d.info, d.object, i.c.live, { fieldManager: input.fieldManager, validate: input.options.validate, replace: input.options.replace })];
  }));
  return outcomes.map(([i, o]) => toResult(i.object, i.c.desired?.info ?? ({} as ResourceInfo), o.action === 'failed' ? 'SyncFailed' : 'Synced', o.message));
}

async function prune(input: SyncStepInput): Promise<ResourceResult[]> {
  return Promise.all(input.extras.map(async ({ obj, info }) => {
    if (!input.prune) return toResult(obj, info, 'PruneSkipped', 'ignored (requires pruning)');
    if (resourceDisallows(obj, 'Prune')) return toResult(obj, info, 'PruneSkipped', 'ignored (Prune=false)');
    const o = await pruneObject(input.kube, info, obj, input.options.prunePropagationPolicy);
    return toResult(obj, info, o.action === 'failed' ? 'SyncFailed' : 'Pruned', o.message);
  }));
}

export async function syncStep(input: SyncStepInput): Promise<SyncStepResult> {
  const items: Item[] = input.comparisons.filter((c) => c.desired).map((c) => ({ phase: 'Sync', wave: syncWave(c.desired?.object ?? {}), object: c.desired?.object ?? {}, c }));
  const steps = waves(items);
  let results = [...input.previous];
  for (const [index, wave] of steps.entries()) {
    const last = index === steps.length - 1;
    if (wave.some((i) => i.c.status === 'OutOfSync')) {
      const applied = await applyWave(input, wave);
      results = merge(results, applied);
      const failed = applied.filter((r) => r.status === 'SyncFailed');
      if (failed.length > 0) return { phase: 'Failed', message: `one or more objects failed to apply: ${failed.map((f) => f.message).join('; ')}`, results };
      if (!last) return { phase: 'Running', message: `wave ${String(wave[0]?.wave)} applied; waiting for it to become healthy`, results };
      continue;
    }
    const waiting = wave.filter((i) => !READY.has(input.healthOf(i.c)));
    if (!last && waiting.length > 0) {
      return { phase: 'Running', message: `waiting for healthy state of ${waiting.map((w) => `${w.object.kind ?? ''}/${w.object.metadata?.name ?? ''}`).join(', ')} (wave ${String(wave[0]?.wave)})`, results };
    }
  }
  const pruned = await prune(input);
  results = merge(results, pruned);
  const failed = pruned.filter((r) => r.status === 'SyncFailed');
  if (failed.length > 0) return { phase: 'Failed', message: `one or more objects failed to prune: ${failed.map((f) => f.message).join('; ')}`, results };
  return { phase: 'Succeeded', message: 'successfully synced (all tasks run)', results };
}
