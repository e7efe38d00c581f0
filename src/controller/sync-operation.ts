// One step of a sync operation. A sync is re-entrant, as in Argo CD: each reconcile walks the steps
// (phase PreSync → Sync → PostSync, then wave, kind and name), applies the earliest one that is out of
// sync or runs its hooks, or waits while it is not yet healthy or its hooks still run, and reports
// Running; the next reconcile (woken by the watch events the apply caused) goes on from there. So a
// controller restarted mid-sync resumes from status.operationState, finished waves and hooks done.
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { ResourceInfo } from '../kube/discovery.js';
import type { HealthStatus } from '../health/types.js';
import { applyObject, pruneObject } from '../sync/apply.js';
import { describeDrift, driftAuthors } from '../diff/forensics.js';
import { keepIgnoredFromLive } from '../diff/ignore.js';
import type { IgnoreDifference } from '../api/application.js';
import { hookTypes, hookWave } from '../sync/hooks.js';
import { resourceDisallows, resourceSyncOptions, type SyncOptions } from '../sync/options.js';
import { syncWave, waves, type Ordered, type SyncPhase } from '../sync/order.js';
import { groupOf } from '../sync/tracking.js';
import { objectPath } from '../kube/paths.js';
import type { ResourceResult, OperationPhase } from './app-status.js';
import type { Comparison } from './compare.js';
import type { DesiredObject } from './desired.js';
import { runHook } from './sync-hooks.js';

export interface SyncStepInput {
  /** Identifies the operation across controller restarts (its startedAt); marks the hooks it creates. */
  readonly operationId: string;
  readonly kube: KubeClient;
  readonly fieldManager: string;
  readonly comparisons: readonly Comparison[];
  readonly extras: readonly { obj: KubeObject; info: ResourceInfo }[];
  readonly hooks: readonly DesiredObject[];
  readonly liveOf: (info: ResourceInfo, namespace: string | undefined, name: string) => KubeObject | undefined;
  readonly prune: boolean;
  readonly options: SyncOptions;
  readonly healthOf: (c: Comparison) => HealthStatus | undefined;
  readonly previous: readonly ResourceResult[];
  /** This sync reverts drift at an already-synced revision: record who changed what. */
  readonly selfHeal?: boolean;
  /** spec.ignoreDifferences, for RespectIgnoreDifferences=true. */
  readonly ignore?: readonly IgnoreDifference[];
  /** Told what the API server stored for each desired object applied as it is in Git. */
  readonly onApplied?: (desired: KubeObject, applied: KubeObject) => void;
}

export interface SyncStepResult {
  readonly phase: OperationPhase;
  readonly message: string;
  readonly results: ResourceResult[];
}

interface Item extends Ordered { readonly c?: Comparison; readonly hook?: DesiredObject }

const READY: ReadonlySet<HealthStatus | undefined> = new Set([undefined, 'Healthy', 'Suspended']);

function toResult(obj: KubeObject, version: string, status: ResourceResult['status'], message: string): ResourceResult {
  return { group: groupOf(obj.apiVersion), version, kind: obj.kind ?? '', namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '', status, message, syncPhase: 'Sync', syncWave: syncWave(obj) };
}

const resultKey = (r: ResourceResult): string => `${r.syncPhase}/${r.group}/${r.kind}/${r.namespace}/${r.name}`;

function merge(previous: readonly ResourceResult[], next: readonly ResourceResult[]): ResourceResult[] {
  const out = new Map(previous.map((r) => [resultKey(r), r]));
  for (const r of next) out.set(resultKey(r), r);
  return [...out.values()];
}

function previousHookResult(results: readonly ResourceResult[], phase: SyncPhase, d: DesiredObject): ResourceResult | undefined {
  const m = d.object.metadata;
  const generate = m?.['generateName'] as string | undefined;
  return results.find((r) => r.syncPhase === phase && r.hookType === phase && r.kind === d.object.kind && r.namespace === (m?.namespace ?? '')
    && (m?.name ? r.name === m.name : generate !== undefined && r.name.startsWith(generate)));
}

function itemsOf(input: SyncStepInput): Item[] {
  const normal: Item[] = input.comparisons.flatMap((c) => (c.desired ? [{ phase: 'Sync' as const, wave: syncWave(c.desired.object), object: c.desired.object, c }] : []));
  const hooks: Item[] = input.hooks.flatMap((h) => hookTypes(h.object)
    .filter((t): t is 'PreSync' | 'Sync' | 'PostSync' => t === 'PreSync' || t === 'Sync' || t === 'PostSync')
    .map((phase) => ({ phase, wave: hookWave(h.object), object: h.object, hook: h })));
  return [...normal, ...hooks];
}

/**
 * The live object read again just before an apply that keeps ignored fields from it: the watch cache
 * may not have seen a change made a moment ago (an autoscaler's), and applying its older value would
 * undo that change.
 */
async function freshLive(kube: KubeClient, d: DesiredObject, cached: KubeObject): Promise<KubeObject> {
  const read = await kube.getOrUndefined(objectPath(d.info, d.object.metadata?.name ?? '', d.object.metadata?.namespace)).catch(() => undefined);
  return read ?? cached;
}

async function applyItems(input: SyncStepInput, items: readonly Item[]): Promise<ResourceResult[]> {
  return Promise.all(items.map(async (i) => {
    const c = i.c;
    const d = c?.desired;
    if (!c || !d) return toResult(i.object, '', 'SyncFailed', 'nothing to apply');
    const object = input.options.respectIgnoreDifferences && c.live && (input.ignore ?? []).length > 0
      ? keepIgnoredFromLive(d.object, await freshLive(input.kube, d, c.live), input.ignore ?? [])
      : d.object;
    const own = resourceSyncOptions(d.object);
    const replace = input.options.replace || own.get('Replace')?.toLowerCase() === 'true';
    const validate = input.options.validate && own.get('Validate')?.toLowerCase() !== 'false';
    const o = await applyObject(input.kube, d.info, object, c.live, { fieldManager: input.fieldManager, validate, replace });
    if (o.applied && object === d.object) input.onApplied?.(d.object, o.applied);
    const r = toResult(d.object, d.info.version, o.action === 'failed' ? 'SyncFailed' : 'Synced', o.message);
    if (!input.selfHeal) return r;
    const drift = c.live && c.predicted ? describeDrift(driftAuthors(c.predicted, c.live, input.fieldManager)) : 'deleted outside Git';
    return { ...r, drift };
  }));
}

async function runSyncFailHooks(input: SyncStepInput, results: ResourceResult[], message: string): Promise<SyncStepResult> {
  const ctx = { kube: input.kube, fieldManager: input.fieldManager, liveOf: input.liveOf, operationId: input.operationId };
  const fail = input.hooks.filter((h) => hookTypes(h.object).includes('SyncFail'));
  const ran = await Promise.all(fail.map(async (h) => (await runHook(ctx, 'SyncFail', h, previousHookResult(results, 'SyncFail', h))).result));
  return { phase: 'Failed', message, results: merge(results, ran) };
}

async function prune(input: SyncStepInput): Promise<ResourceResult[]> {
  return Promise.all(input.extras.map(async ({ obj, info }) => {
    if (!input.prune) return toResult(obj, info.version, 'PruneSkipped', 'ignored (requires pruning)');
    if (resourceDisallows(obj, 'Prune')) return toResult(obj, info.version, 'PruneSkipped', 'ignored (Prune=false)');
    const o = await pruneObject(input.kube, info, obj, input.options.prunePropagationPolicy);
    return toResult(obj, info.version, o.action === 'failed' ? 'SyncFailed' : 'Pruned', o.message);
  }));
}

type StepOutcome = { kind: 'next' } | { kind: 'stop'; result: SyncStepResult };

async function runStep(input: SyncStepInput, step: readonly Item[], last: boolean, results: ResourceResult[]): Promise<StepOutcome> {
  const label = `${step[0]?.phase ?? 'Sync'} wave ${String(step[0]?.wave ?? 0)}`;
  const outOfSync = step.filter((i) => i.c?.status === 'OutOfSync');
  const applied = await applyItems(input, outOfSync);
  results.push(...applied);
  const failed = applied.filter((r) => r.status === 'SyncFailed');
  if (failed.length > 0) return { kind: 'stop', result: await runSyncFailHooks(input, dedupe(results), `one or more objects failed to apply: ${failed.map((f) => f.message).join('; ')}`) };
  const ctx = { kube: input.kube, fieldManager: input.fieldManager, liveOf: input.liveOf, operationId: input.operationId };
  const hookRuns = await Promise.all(step.filter((i) => i.hook).map((i) => runHook(ctx, i.phase, i.hook as DesiredObject, previousHookResult(results, i.phase, i.hook as DesiredObject))));
  results.push(...hookRuns.map((h) => h.result));
  const hookFailed = hookRuns.filter((h) => h.progress === 'failed');
  if (hookFailed.length > 0) return { kind: 'stop', result: await runSyncFailHooks(input, dedupe(results), hookFailed.map((h) => h.result.message).join('; ')) };
  if (hookRuns.some((h) => h.progress === 'waiting')) return { kind: 'stop', result: { phase: 'Running', message: `${label}: waiting for hooks to complete`, results: dedupe(results) } };
  if (outOfSync.length > 0 && !last) return { kind: 'stop', result: { phase: 'Running', message: `${label} applied; waiting for it to become healthy`, results: dedupe(results) } };
  const waiting = step.filter((i) => i.c && !READY.has(input.healthOf(i.c)));
  if (!last && outOfSync.length === 0 && waiting.length > 0) {
    return { kind: 'stop', result: { phase: 'Running', message: `${label}: waiting for healthy state of ${waiting.map((w) => `${w.object.kind ?? ''}/${w.object.metadata?.name ?? ''}`).join(', ')}`, results: dedupe(results) } };
  }
  return { kind: 'next' };
}

function dedupe(results: readonly ResourceResult[]): ResourceResult[] {
  return merge([], results);
}

export async function syncStep(input: SyncStepInput): Promise<SyncStepResult> {
  const steps = waves(itemsOf(input));
  const results: ResourceResult[] = [...input.previous];
  for (const [index, step] of steps.entries()) {
    const outcome = await runStep(input, step, index === steps.length - 1, results);
    if (outcome.kind === 'stop') return outcome.result;
  }
  const pruned = await prune(input);
  const all = merge(results, pruned);
  const failed = pruned.filter((r) => r.status === 'SyncFailed');
  if (failed.length > 0) return runSyncFailHooks(input, all, `one or more objects failed to prune: ${failed.map((f) => f.message).join('; ')}`);
  return { phase: 'Succeeded', message: 'successfully synced (all tasks run)', results: all };
}
