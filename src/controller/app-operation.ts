// Whether to sync, and the bookkeeping of it. A sync runs when one is requested (the `operation`
// field, as `argocd app sync` sets it), when an earlier one is still Running (resume), or when the
// Application is automated and out of sync: a new revision always, drift only with selfHeal, pruning
// only with prune, never to an empty set without allowEmpty, and not again for a revision whose
// automated sync failed (Argo CD's rule) beyond the retry limit.
import type { ApplicationSpec } from '../api/application.js';
import { applicationPath } from '../api/flavor.js';
import { KubeApiError, type KubeObject } from '../kube/client.js';
import { jsonEqual } from '../diff/normalize.js';
import { parseSyncOptions } from '../sync/options.js';
import { parseDuration } from './config.js';
import { syncWave } from '../sync/order.js';
import { groupOf, keyOf, keyString } from '../sync/tracking.js';
import type { ClusterView, ControllerDeps } from './app-context.js';
import type { LiveEvaluation } from './app-live.js';
import type { ApplicationStatus, Condition, HistoryEntry, OperationState, ResourceResult, ResourceStatus, SyncStatusCode } from './app-status.js';
import type { SourceResult } from './app-source.js';
import type { DesiredSet } from './desired.js';
import { ensureNamespace } from './namespace.js';
import { syncStep } from './sync-operation.js';
import { rememberApplied } from './compare.js';
import { dryRunResults, narrowed, scopeOf, type OperationScope } from './operation-scope.js';

export interface OperationOutcome {
  readonly syncStatus: SyncStatusCode;
  readonly resources: ResourceStatus[];
  readonly operationState?: OperationState;
  readonly history?: HistoryEntry[];
  readonly conditions: Omit<Condition, 'lastTransitionTime'>[];
  readonly requeueAfterMs?: number;
  /** A sync finished successfully in this reconcile: live matches Git, though the watch cache may not show it yet. */
  readonly justSynced?: boolean;
}

interface Request { prune: boolean; automated: boolean; username?: string; resume: boolean; scope: OperationScope }

function resourceStatuses(live: LiveEvaluation): ResourceStatus[] {
  const fromComparisons = live.comparisons.flatMap((c) => {
    const d = c.desired;
    if (!d) return [];
    const obj = d.object;
    const h = live.healthOf(c);
    return [{
      group: groupOf(obj.apiVersion), version: d.info.version, kind: obj.kind ?? '', namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '',
      status: c.status, syncWave: syncWave(obj), ...(h ? { health: { status: h } } : {}),
    }];
  });
  const extras = live.extras.map(({ obj, info }) => ({
    group: info.group, version: info.version, kind: obj.kind ?? '', namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '',
    status: 'OutOfSync' as const, requiresPruning: true,
  }));
  return [...fromComparisons, ...extras];
}

export interface Situation {
  /** The controller's own cluster: the Application, its operation and its events. */
  readonly deps: ControllerDeps;
  /** The destination cluster: where objects are applied, pruned and namespaces created. */
  readonly cluster: ClusterView;
  readonly app: KubeObject;
  readonly spec: ApplicationSpec;
  readonly src: SourceResult;
  readonly desired: DesiredSet;
  readonly live: LiveEvaluation;
  readonly now: string;
}

/** Argo CD's retry backoff: duration × factor^retries, capped by maxDuration (defaults 5s, 2, 3m). */
export function retryBackoffMs(backoff: { duration?: string | undefined; factor?: number | undefined; maxDuration?: string | undefined } | undefined, retries: number): number {
  const base = parseDuration(backoff?.duration ?? '5s') ?? 5000;
  const max = parseDuration(backoff?.maxDuration ?? '3m') ?? 180_000;
  return Math.min(base * (backoff?.factor ?? 2) ** retries, max);
}

/** Right after a successful sync, what was applied is in sync and what was pruned is gone (the next reconcile confirms it). */
function afterSuccess(resources: readonly ResourceStatus[], results: readonly ResourceResult[]): { syncStatus: SyncStatusCode; resources: ResourceStatus[] } {
  const key = (r: { group: string; kind: string; namespace: string; name: string }): string => `${r.group}/${r.kind}/${r.namespace}/${r.name}`;
  const pruned = new Set(results.filter((r) => r.status === 'Pruned').map(key));
  const applied = new Set(results.filter((r) => r.status === 'Synced' && !r.hookType).map(key));
  const next = resources.filter((r) => !pruned.has(key(r))).map((r) => (applied.has(key(r)) ? { ...r, status: 'Synced' as const } : r));
  return { syncStatus: next.some((r) => r.status === 'OutOfSync') ? 'OutOfSync' : 'Synced', resources: next };
}

/** One key per drifted object of the Application: self-heal backs off per object, so only a fight over one object slows down. */
function driftKeys(app: KubeObject, live: LiveEvaluation): string[] {
  const appKey = `${app.metadata?.namespace ?? ''}/${app.metadata?.name ?? ''}`;
  return live.comparisons.filter((c) => c.status === 'OutOfSync' && c.desired).map((c) => `${appKey}|${keyString(keyOf(c.desired?.object ?? {}))}`);
}

function decide(s: Situation, outOfSync: boolean): Request | string | { waitMs: number } | { terminate: true } | undefined {
  const { app, spec, live, desired } = s;
  const revision = s.src.revision;
  const prev = (app['status'] ?? {}) as Partial<ApplicationStatus>;
  const requested = (app['operation'] as { sync?: { prune?: boolean; revision?: string } & Record<string, unknown>; initiatedBy?: { username?: string } } | undefined);
  if (terminationRequested(app) || prev.operationState?.phase === 'Terminating') return { terminate: true };
  const automatedOn = spec.syncPolicy?.automated !== undefined && spec.syncPolicy.automated.enabled !== false;
  if (requested?.sync?.revision && automatedOn && !revision.startsWith(requested.sync.revision) && requested.sync.revision !== spec.source?.targetRevision) {
    return `sync to revision ${requested.sync.revision} refused: automated sync is enabled and follows ${spec.source?.targetRevision ?? 'HEAD'} (disable it to roll back)`;
  }
  if (requested?.sync) return { prune: requested.sync.prune ?? false, automated: false, resume: false, scope: scopeOf(requested.sync), ...(requested.initiatedBy?.username ? { username: requested.initiatedBy.username } : {}) };
  const running = prev.operationState?.phase === 'Running' ? prev.operationState : undefined;
  // An automated operation overtaken by a newer commit starts again for it: the old revision's hook
  // results do not stand for the new revision's hooks (found by src/reliability/kill-controller).
  if (running?.operation.initiatedBy.automated && running.operation.sync.revision !== revision) return { prune: running.operation.sync.prune, automated: true, resume: false, scope: scopeOf(running.operation.sync) };
  if (running) return { prune: running.operation.sync.prune, automated: running.operation.initiatedBy.automated ?? false, resume: true, scope: scopeOf(running.operation.sync), ...(running.operation.initiatedBy.username ? { username: running.operation.initiatedBy.username } : {}) };
  const auto = spec.syncPolicy?.automated;
  if (!auto || auto.enabled === false || !outOfSync) return undefined;
  if (desired.errors.length > 0 || live.errors.length > 0) return undefined;
  if (desired.objects.length === 0 && !auto.allowEmpty) return 'automated sync would remove every resource of the Application: refused (set syncPolicy.automated.allowEmpty to allow it)';
  const onlyPrune = live.comparisons.every((c) => c.status === 'Synced');
  if (onlyPrune && !auto.prune) return undefined;
  const last = prev.operationState;
  const sameRevision = last?.operation.sync.revision === revision;
  if (sameRevision && last.phase !== 'Succeeded') {
    const retry = spec.syncPolicy?.retry;
    const limit = retry?.limit ?? 5;
    const count = last.retryCount ?? 0;
    if (limit >= 0 && count >= limit) return undefined;
    const waitMs = retryBackoffMs(retry?.backoff, count) - (Date.parse(s.now) - Date.parse(last.finishedAt ?? last.startedAt));
    if (waitMs > 0) return { waitMs };
  }
  if (sameRevision && last.phase === 'Succeeded' && !auto.selfHeal) return undefined;
  if (sameRevision && last.phase === 'Succeeded') {
    const waitMs = Math.max(0, ...driftKeys(app, live).map((k) => s.deps.selfHeal.delayMs(k)));
    if (waitMs > 0) return { waitMs };
  }
  return { prune: auto.prune ?? false, automated: true, resume: false, scope: {} };
}

/**
 * Termination is asked for with an annotation (the API's `DELETE …/operation` sets it), not by writing
 * the controller's status, so no status write of a reconcile in flight can undo it. Argo CD's way, a
 * `Terminating` phase written into status, is honoured too.
 */
export const TERMINATE_ANNOTATION = 'fjord.dev/terminate-operation';

function terminationRequested(app: KubeObject): boolean {
  return (app.metadata?.['annotations'] as Record<string, string> | undefined)?.[TERMINATE_ANNOTATION] !== undefined;
}

/** Ends the running operation as Failed, applying nothing more, and consumes the request. */
async function terminated(s: Situation, base: Omit<OperationOutcome, 'conditions'>): Promise<OperationOutcome> {
  const prevState = (s.app['status'] as Partial<ApplicationStatus> | undefined)?.operationState;
  const running = prevState?.phase === 'Running' || prevState?.phase === 'Terminating';
  await consumeRequest(s.deps, s.app, { [TERMINATE_ANNOTATION]: null });
  if (!running) return { ...base, conditions: [] };
  const message = 'Operation terminated';
  s.deps.events.record(s.app, 'Warning', 'OperationCompleted', `Sync operation to ${prevState.operation.sync.revision} terminated`);
  return { ...base, operationState: { ...prevState, phase: 'Failed', message, finishedAt: s.now }, conditions: [{ type: 'SyncError', message }], requeueAfterMs: 500 };
}

function operationOf(req: Request, revision: string): OperationState['operation'] {
  return {
    sync: { revision, prune: req.prune, ...(req.scope.resources ? { resources: [...req.scope.resources] } : {}), ...(req.scope.syncOptions ? { syncOptions: [...req.scope.syncOptions] } : {}) },
    initiatedBy: req.automated ? { automated: true } : { username: req.username ?? 'admin' },
  };
}

/** A dry run: what would be applied and pruned, recorded as a Succeeded operation that changed nothing. */
async function dryRun(s: Situation, req: Request, base: Omit<OperationOutcome, 'conditions'>): Promise<OperationOutcome> {
  const live = narrowed(s.live, req.scope);
  const { message, results } = dryRunResults(live, req.prune);
  await clearRequest(s.deps, s.app);
  s.deps.events.record(s.app, 'Normal', 'OperationCompleted', `Dry run of a sync to ${s.src.revision}: ${message}`);
  const state: OperationState = {
    operation: { sync: { revision: s.src.revision, prune: req.prune, dryRun: true, ...(req.scope.resources ? { resources: [...req.scope.resources] } : {}) }, initiatedBy: { username: req.username ?? 'admin' } },
    phase: 'Succeeded', message, startedAt: s.now, finishedAt: s.now, syncResult: { revision: s.src.revision, resources: results },
  };
  return { ...base, operationState: state, conditions: [] };
}

function historyAfter(app: KubeObject, spec: ApplicationSpec, src: SourceResult, state: OperationState, now: string): HistoryEntry[] {
  const prev = ((app['status'] ?? {}) as Partial<ApplicationStatus>).history ?? [];
  const id = (prev.at(-1)?.id ?? -1) + 1;
  const entry: HistoryEntry = {
    id, revision: src.revision, deployedAt: now, deployStartedAt: state.startedAt, source: spec.source ?? spec.sources?.[0],
    initiatedBy: state.operation.initiatedBy,
    revisionMetadata: { author: src.commit.author, date: src.commit.date, message: src.commit.message },
  };
  return [...prev, entry].slice(-(spec.revisionHistoryLimit ?? 10));
}

/**
 * Removes the operation request the reconcile acted on (and `alsoRemove`'s annotations), never a newer
 * one: the patch carries the resourceVersion it was read at, and on a conflict the fresh object is read.
 * If its request is another one (a person asked again meanwhile), it stays for the next reconcile;
 * the write of that request woke the Application already.
 */
export async function consumeRequest(deps: ControllerDeps, app: KubeObject, alsoRemove: Record<string, null> = {}): Promise<void> {
  const key = `${app.metadata?.namespace ?? ''}/${app.metadata?.name ?? ''}`;
  const path = applicationPath(deps.flavor, app.metadata?.namespace ?? '', app.metadata?.name ?? '');
  const patch = (resourceVersion: string | undefined): Promise<KubeObject> => deps.kube.request('PATCH', path, {
    body: { operation: null, metadata: { ...(resourceVersion ? { resourceVersion } : {}), ...(Object.keys(alsoRemove).length ? { annotations: alsoRemove } : {}) } },
    contentType: 'application/merge-patch+json',
  });
  let written: KubeObject;
  try {
    written = await patch(app.metadata?.resourceVersion);
  } catch (e) {
    if (!(e instanceof KubeApiError) || e.status !== 409) throw e;
    const fresh = await deps.kube.get(path);
    if (jsonEqual(fresh['operation'], app['operation'])) {
      written = await patch(fresh.metadata?.resourceVersion);
    } else if (Object.keys(alsoRemove).length > 0) {
      // The annotations (a termination) concerned the request that was replaced: they go, it stays.
      written = await deps.kube.request('PATCH', path, { body: { metadata: { resourceVersion: fresh.metadata?.resourceVersion, annotations: alsoRemove } }, contentType: 'application/merge-patch+json' });
    } else {
      return;
    }
  }
  deps.written.record(key, written);
}

async function clearRequest(deps: ControllerDeps, app: KubeObject): Promise<void> {
  if (!app['operation']) return;
  await consumeRequest(deps, app);
}

export async function runOperation(s: Situation): Promise<OperationOutcome> {
  const { deps, cluster, app, spec, src, live, now } = s;
  const resources = resourceStatuses(live);
  const outOfSync = resources.some((r) => r.status === 'OutOfSync');
  const prev = (app['status'] ?? {}) as Partial<ApplicationStatus>;
  const prevState = prev.operationState;
  const base = {
    syncStatus: (outOfSync ? 'OutOfSync' : 'Synced') as SyncStatusCode, resources,
    ...(prevState ? { operationState: prevState } : {}), ...(prev.history ? { history: prev.history } : {}),
  };
  const req = decide(s, outOfSync);
  // A failed operation stays visible as a condition until a later one succeeds.
  const failed = prevState?.phase === 'Failed' || prevState?.phase === 'Error' ? [{ type: 'SyncError', message: prevState.message }] : [];
  if (typeof req === 'string') {
    if (app['operation']) deps.events.record(app, 'Warning', 'OperationRefused', req);
    await clearRequest(deps, app);
    return { ...base, conditions: [...failed, { type: 'SyncError', message: req }] };
  }
  if (!req) return { ...base, conditions: failed };
  if ('terminate' in req) return terminated(s, base);
  if ('waitMs' in req) return { ...base, conditions: failed, requeueAfterMs: req.waitMs };
  if (req.scope.dryRun) return dryRun(s, req, base);
  const options = parseSyncOptions([...(spec.syncPolicy?.syncOptions ?? []), ...(req.scope.syncOptions ?? [])]);
  const scoped = narrowed(live, req.scope);
  if (options.createNamespace && spec.destination.namespace) await ensureNamespace({ ...deps, kube: cluster.kube }, spec.destination.namespace, spec.syncPolicy?.managedNamespaceMetadata);
  const startedAt = req.resume && prevState ? prevState.startedAt : now;
  const retried = prevState?.operation.sync.revision === src.revision && prevState.phase !== 'Succeeded' && prevState.phase !== 'Running';
  const retryCount = req.resume ? (prevState?.retryCount ?? 0) : retried ? (prevState.retryCount ?? 0) + 1 : 0;
  const isSelfHeal = req.automated && !req.resume && prevState?.phase === 'Succeeded' && prevState.operation.sync.revision === src.revision;
  if (isSelfHeal) for (const k of driftKeys(app, live)) deps.selfHeal.record(k);
  if (!req.resume && scoped.hooks.length > 0) {
    // Recorded before any hook is created: a controller killed right after creating one finds this
    // operation (and the hook marked with it) when it restarts, instead of starting over and running
    // the hook a second time.
    await clearRequest(deps, app);
    deps.events.record(app, 'Normal', 'OperationStarted', `Initiated ${req.automated ? 'automated ' : ''}sync to ${src.revision}`);
    const state: OperationState = {
      operation: operationOf(req, src.revision), phase: 'Running', message: 'sync started: hooks and waves follow', startedAt,
      syncResult: { revision: src.revision, resources: [], source: spec.source ?? spec.sources?.[0] }, ...(req.automated ? { retryCount } : {}),
    };
    return { ...base, operationState: state, conditions: [], requeueAfterMs: 0 };
  }
  const step = await deps.operationSlots.run(() => syncStep({
    operationId: startedAt,
    kube: cluster.kube, fieldManager: deps.flavor.fieldManager, comparisons: scoped.comparisons, extras: scoped.extras,
    hooks: scoped.hooks.map((h) => h.desired), liveOf: (info, ns, name) => cluster.live.get(info, ns, name),
    selfHeal: isSelfHeal, ignore: spec.ignoreDifferences ?? [], onApplied: (desired, applied) => { rememberApplied(deps.dryRuns, desired, applied); },
    prune: req.prune, options, healthOf: live.healthOf, previous: req.resume ? prevState?.syncResult?.resources ?? [] : [],
  }));
  await clearRequest(deps, app);
  const done = step.phase !== 'Running';
  const state: OperationState = {
    operation: operationOf(req, src.revision),
    phase: step.phase, message: step.message, startedAt, ...(done ? { finishedAt: now } : {}),
    syncResult: { revision: src.revision, resources: step.results, source: spec.source ?? spec.sources?.[0] },
    ...(req.automated ? { retryCount: step.phase === 'Succeeded' ? 0 : retryCount } : {}),
  };
  // An operation that starts and ends in this reconcile gets one event, which says both (an Event
  // is a write to the API server, and a cold start of a thousand Applications makes a thousand).
  const initiated = `${req.automated ? 'automated ' : ''}sync to ${src.revision}`;
  if (!req.resume && !done) deps.events.record(app, 'Normal', 'OperationStarted', `Initiated ${initiated}`);
  const outcome = step.phase === 'Succeeded' ? 'succeeded' : `failed: ${step.message}`;
  if (done) deps.events.record(app, step.phase === 'Succeeded' ? 'Normal' : 'Warning', 'OperationCompleted', req.resume ? `Sync operation to ${src.revision} ${outcome}` : `${req.automated ? 'Automated sync' : 'Sync'} operation to ${src.revision} ${outcome}`);
  for (const r of step.results) {
    if (r.drift) deps.events.record(app, 'Normal', 'DriftReverted', `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${r.drift}; reverted to Git`);
  }
  const history = step.phase === 'Succeeded' ? historyAfter(app, spec, src, state, now) : undefined;
  const succeeded = step.phase === 'Succeeded';
  return {
    ...base, ...(succeeded ? { ...afterSuccess(base.resources, step.results), justSynced: true } : {}), operationState: state, ...(history ? { history } : {}),
    conditions: step.phase === 'Failed' ? [{ type: 'SyncError', message: step.message }] : [],
    requeueAfterMs: step.phase === 'Running' ? 2000 : 500,
  };
}
