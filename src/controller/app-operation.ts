// Whether to sync, and the bookkeeping of it. A sync runs when one is requested (the `operation`
// field, as `argocd app sync` sets it), when an earlier one is still Running (resume), or when the
// Application is automated and out of sync: a new revision always, drift only with selfHeal, pruning
// only with prune, never to an empty set without allowEmpty, and not again for a revision whose
// automated sync failed (Argo CD's rule) beyond the retry limit.
import type { ApplicationSpec } from '../api/application.js';
import type { KubeObject } from '../kube/client.js';
import { parseSyncOptions } from '../sync/options.js';
import { syncWave } from '../sync/order.js';
import { groupOf } from '../sync/tracking.js';
import type { ControllerDeps } from './app-context.js';
import type { LiveEvaluation } from './app-live.js';
import type { ApplicationStatus, Condition, HistoryEntry, OperationState, ResourceStatus, SyncStatusCode } from './app-status.js';
import type { SourceResult } from './app-source.js';
import type { DesiredSet } from './desired.js';
import { ensureNamespace } from './namespace.js';
import { syncStep } from './sync-operation.js';

export interface OperationOutcome {
  readonly syncStatus: SyncStatusCode;
  readonly resources: ResourceStatus[];
  readonly operationState?: OperationState;
  readonly history?: HistoryEntry[];
  readonly conditions: Omit<Condition, 'lastTransitionTime'>[];
  readonly requeueAfterMs?: number;
}

interface Request { prune: boolean; automated: boolean; username?: string; resume: boolean }

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
  readonly deps: ControllerDeps;
  readonly app: KubeObject;
  readonly spec: ApplicationSpec;
  readonly src: SourceResult;
  readonly desired: DesiredSet;
  readonly live: LiveEvaluation;
  readonly now: string;
}

function decide(s: Situation, outOfSync: boolean): Request | string | undefined {
  const { app, spec, live, desired } = s;
  const revision = s.src.revision;
  const prev = (app['status'] ?? {}) as Partial<ApplicationStatus>;
  const requested = (app['operation'] as { sync?: { prune?: boolean }; initiatedBy?: { username?: string } } | undefined);
  if (requested?.sync) return { prune: requested.sync.prune ?? false, automated: false, resume: false, ...(requested.initiatedBy?.username ? { username: requested.initiatedBy.username } : {}) };
  const running = prev.operationState?.phase === 'Running' ? prev.operationState : undefined;
  if (running) return { prune: running.operation.sync.prune, automated: running.operation.initiatedBy.automated ?? false, resume: true };
  const auto = spec.syncPolicy?.automated;
  if (!auto || auto.enabled === false || !outOfSync) return undefined;
  if (desired.errors.length > 0 || live.errors.length > 0) return undefined;
  if (desired.objects.length === 0 && !auto.allowEmpty) return 'automated sync would remove every resource of the Application: refused (set syncPolicy.automated.allowEmpty to allow it)';
  const onlyPrune = live.comparisons.every((c) => c.status === 'Synced');
  if (onlyPrune && !auto.prune) return undefined;
  const last = prev.operationState;
  const sameRevision = last?.operation.sync.revision === revision;
  if (sameRevision && last.phase !== 'Succeeded') {
    const limit = spec.syncPolicy?.retry?.limit ?? 5;
    if (limit >= 0 && (last.retryCount ?? 0) >= limit) return undefined;
  }
  if (sameRevision && last.phase === 'Succeeded' && !auto.selfHeal) return undefined;
  return { prune: auto.prune ?? false, automated: true, resume: false };
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

async function clearRequest(deps: ControllerDeps, app: KubeObject): Promise<void> {
  if (!app['operation']) return;
  const path = `/apis/${deps.flavor.group}/${deps.flavor.version}/namespaces/${app.metadata?.namespace ?? ''}/applications/${app.metadata?.name ?? ''}`;
  await deps.kube.request('PATCH', path, { body: { operation: null }, contentType: 'application/merge-patch+json' });
}

export async function runOperation(s: Situation): Promise<OperationOutcome> {
  const { deps, app, spec, src, live, now } = s;
  const resources = resourceStatuses(live);
  const outOfSync = resources.some((r) => r.status === 'OutOfSync');
  const prev = (app['status'] ?? {}) as Partial<ApplicationStatus>;
  const prevState = prev.operationState;
  const base = {
    syncStatus: (outOfSync ? 'OutOfSync' : 'Synced') as SyncStatusCode, resources,
    ...(prevState ? { operationState: prevState } : {}), ...(prev.history ? { history: prev.history } : {}),
  };
  const req = decide(s, outOfSync);
  if (typeof req === 'string') return { ...base, conditions: [{ type: 'SyncError', message: req }] };
  if (!req) return { ...base, conditions: [] };
  const options = parseSyncOptions(spec.syncPolicy?.syncOptions);
  if (options.createNamespace && spec.destination.namespace) await ensureNamespace(deps, spec.destination.namespace, spec.syncPolicy?.managedNamespaceMetadata);
  const startedAt = req.resume && prevState ? prevState.startedAt : now;
  const retryCount = !req.resume && prevState?.operation.sync.revision === src.revision && prevState.phase !== 'Succeeded' ? (prevState.retryCount ?? 0) + 1 : (prevState?.retryCount ?? 0);
  const step = await syncStep({
    kube: deps.kube, fieldManager: deps.flavor.fieldManager, comparisons: live.comparisons, extras: live.extras,
    prune: req.prune, options, healthOf: live.healthOf, previous: req.resume ? prevState?.syncResult?.resources ?? [] : [],
  });
  await clearRequest(deps, app);
  const done = step.phase !== 'Running';
  const state: OperationState = {
    operation: { sync: { revision: src.revision, prune: req.prune }, initiatedBy: req.automated ? { automated: true } : { username: req.username ?? 'admin' } },
    phase: step.phase, message: step.message, startedAt, ...(done ? { finishedAt: now } : {}),
    syncResult: { revision: src.revision, resources: step.results, source: spec.source ?? spec.sources?.[0] },
    ...(req.automated && !req.resume ? { retryCount: step.phase === 'Succeeded' ? 0 : retryCount } : {}),
  };
  if (!req.resume) await deps.events.record(app, 'Normal', 'OperationStarted', `Initiated ${req.automated ? 'automated ' : ''}sync to ${src.revision}`);
  if (done) await deps.events.record(app, step.phase === 'Succeeded' ? 'Normal' : 'Warning', 'OperationCompleted', `Sync operation to ${src.revision} ${step.phase === 'Succeeded' ? 'succeeded' : `failed: ${step.message}`}`);
  const history = step.phase === 'Succeeded' ? historyAfter(app, spec, src, state, now) : undefined;
  return {
    ...base, operationState: state, ...(history ? { history } : {}),
    conditions: step.phase === 'Failed' ? [{ type: 'SyncError', message: step.message }] : [],
    requeueAfterMs: step.phase === 'Running' ? 2000 : 500,
  };
}
