// Reconciles one Application: reads it and its project, renders its source at the target revision,
// compares with live, runs or continues a sync operation when one is asked for or automated, assesses
// health, and writes status once, in one place, whatever happened.
import { randomBytes } from 'node:crypto';
import { parseApplicationSpec, parseAppProjectSpec, type ApplicationSource, type ApplicationSpec, type AppProjectSpec } from '../api/application.js';
import type { KubeObject } from '../kube/client.js';
import { checkDestination, checkSourceRepo } from '../project/policy.js';
import type { ReconcileResult, RunInfo } from './queue.js';
import { type ApplicationStatus, type Condition, imagesOf, mergeConditions } from './app-status.js';
import type { ClusterView, ControllerDeps } from './app-context.js';
import { restrictToCluster, type ClusterRef, type ClusterTarget } from './clusters.js';
import { credentialsFor } from './repo-credentials.js';
import { fetchAndRender, type SourceResult } from './app-source.js';
import { buildDesired, type DesiredSet } from './desired.js';
import { evaluateLive } from './app-live.js';
import { runOperation } from './app-operation.js';
import { finalizeDeletion } from './app-deletion.js';
import { heartbeatDue, writeStatus } from './status-writer.js';
import { handleRefresh } from './refresh.js';
import { isHook } from '../sync/hooks.js';

export type Problem = Omit<Condition, 'lastTransitionTime'>;

export interface Validated { spec: ApplicationSpec; project: AppProjectSpec; cluster: ClusterRef }

export function validate(deps: ControllerDeps, app: KubeObject): Validated | Problem {
  const parsed = parseApplicationSpec(app['spec']);
  if (!parsed.ok) return { type: 'InvalidSpecError', message: parsed.error };
  const spec = parsed.spec;
  const projectObj = deps.projects.get(app.metadata?.namespace, spec.project);
  if (!projectObj) return { type: 'InvalidSpecError', message: `Application referencing project ${spec.project} which does not exist` };
  const project = parseAppProjectSpec(projectObj['spec']);
  if (!project.ok) return { type: 'InvalidSpecError', message: `AppProject ${spec.project}: ${project.error}` };
  const source = spec.source ?? spec.sources?.[0];
  if (!source) return { type: 'InvalidSpecError', message: 'spec.source is required' };
  if ((spec.sources?.length ?? 0) > 1 && !spec.source) return { type: 'InvalidSpecError', message: 'spec.sources with more than one source is not supported yet; use spec.source' };
  const repoDenied = checkSourceRepo(spec.project, project.spec, source.repoURL);
  if (repoDenied) return { type: 'InvalidSpecError', message: repoDenied };
  const cluster = deps.clusters.find(spec.destination);
  if ('error' in cluster) return { type: 'InvalidSpecError', message: cluster.error };
  const destDenied = checkDestination(spec.project, project.spec, { server: cluster.server, name: cluster.name, namespace: spec.destination.namespace });
  if (destDenied) return { type: 'InvalidSpecError', message: destDenied };
  return { spec, project: project.spec, cluster };
}

/**
 * A sync operation may name a revision other than the target (a rollback to a history entry, as
 * `argocd app rollback` does); that revision is rendered for it. Automated Applications always follow
 * their target: the operation is refused there (see app-operation.ts).
 */
function withRequestedRevision(app: KubeObject, spec: ApplicationSpec, source: ApplicationSource): ApplicationSource {
  const revision = (app['operation'] as { sync?: { revision?: string } } | undefined)?.sync?.revision;
  const automated = spec.syncPolicy?.automated && spec.syncPolicy.automated.enabled !== false;
  return revision && !automated ? { ...source, targetRevision: revision } : source;
}

function previousStatus(app: KubeObject): Partial<ApplicationStatus> {
  return (app['status'] ?? {});
}

/** A status that keeps what was known and adds the problem: a failed render never changes the cluster. */
function problemStatus(app: KubeObject, problem: Problem, now: string): ApplicationStatus {
  const prev = previousStatus(app);
  return {
    sync: { ...(prev.sync ?? {}), status: prev.sync?.status ?? 'Unknown' },
    health: prev.health ?? { status: 'Unknown' },
    resources: prev.resources ?? [],
    conditions: mergeConditions(prev.conditions, [problem], now),
    reconciledAt: now,
    summary: prev.summary ?? { images: [] },
    ...(prev.operationState ? { operationState: prev.operationState } : {}),
    ...(prev.history ? { history: prev.history } : {}),
  };
}

/** The deps of the steps that act on the destination: its client, discovery and live cache instead of the controller's. */
export function onCluster(deps: ControllerDeps, cluster: ClusterView): ControllerDeps {
  return { ...deps, kube: cluster.kube, discovery: cluster.discovery, live: cluster.live };
}

export async function desiredOn(deps: ControllerDeps, cluster: ClusterTarget, name: string, v: Validated, src: SourceResult): Promise<DesiredSet> {
  const desired = await buildDesired({
    appName: name, project: v.spec.project, projectSpec: v.project, destinationNamespace: v.spec.destination.namespace,
    destinationCluster: { server: v.cluster.server, name: v.cluster.name },
    trackingAnnotation: deps.flavor.trackingAnnotation, discovery: cluster.discovery,
  }, src.rendered);
  return restrictToCluster(cluster, desired);
}

async function evaluate(deps: ControllerDeps, app: KubeObject, v: Validated, now: string): Promise<{ status: ApplicationStatus; requeueAfterMs?: number }> {
  const name = app.metadata?.name ?? '';
  const cluster = await deps.clusters.connect(v.cluster);
  if ('error' in cluster) return { status: problemStatus(app, { type: 'ComparisonError', message: cluster.error }, now), requeueAfterMs: 10_000 };
  const source = v.spec.source ?? v.spec.sources?.[0];
  if (!source) throw new Error('unreachable: validated Application without a source');
  const creds = credentialsFor(source.repoURL, deps.repoSecrets.list(), deps.flavor.secretTypeLabel);
  let src;
  try {
    src = await fetchAndRender(deps, withRequestedRevision(app, v.spec, source), name, v.spec.destination.namespace, creds);
  } catch (e) {
    return { status: problemStatus(app, { type: 'ComparisonError', message: `${source.path || '.'}@${source.targetRevision}: ${(e as Error).message}` }, now), requeueAfterMs: 10_000 };
  }
  const desired = await desiredOn(deps, cluster, name, v, src);
  const live = await evaluateLive(onCluster(deps, cluster), app, v.spec, desired);
  const op = await runOperation({ deps, cluster, app, spec: v.spec, src, desired, live, now });
  const problems: Problem[] = [
    ...desired.errors.map((message) => ({ type: 'ComparisonError', message })),
    ...live.errors.map((message) => ({ type: 'ComparisonError', message })),
    ...live.warnings.map((message) => ({ type: 'SharedResourceWarning', message })),
    ...op.conditions,
  ];
  const prev = previousStatus(app);
  const status: ApplicationStatus = {
    sync: { status: op.syncStatus, revision: src.revision, comparedTo: { source, destination: v.spec.destination } },
    health: live.health,
    resources: op.resources,
    conditions: mergeConditions(prev.conditions, problems, now),
    reconciledAt: now,
    sourceType: src.sourceType,
    summary: { images: op.justSynced ? imagesOf(desired.objects.filter((d) => !isHook(d.object)).map((d) => d.object)) : live.images },
    ...(op.operationState ? { operationState: op.operationState } : {}),
    ...(op.history ? { history: op.history } : {}),
  };
  return { status, ...(op.requeueAfterMs !== undefined ? { requeueAfterMs: op.requeueAfterMs } : {}) };
}

function jitter(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2));
}

/**
 * Nothing that a reconcile reads has changed since the last one, which left the Application settled:
 * no event woke it (the queue says so: its Application, project, repository Secrets, destination
 * clusters, tracked ref or managed objects would have), the object is the version that reconcile saw
 * or wrote, and reconciledAt is not due for its heartbeat. The periodic pass then skips the render and
 * the compare (ADR 13); every heartbeat still runs one in full, the safety net for anything no watch
 * reports (an object created without Fjord's label, a destination cluster gone quiet).
 */
function unchangedSinceSettled(deps: ControllerDeps, key: string, app: KubeObject, run: RunInfo): boolean {
  if (run.woken || app.metadata?.['deletionTimestamp'] || app['operation']) return false;
  const settledAt = deps.settled.get(key);
  return settledAt !== undefined && settledAt === app.metadata?.resourceVersion && !heartbeatDue(deps, app);
}

/** Nothing is pending after this reconcile: no timer of its own, no error to retry, no operation under way. */
function settles(result: { status: ApplicationStatus; requeueAfterMs?: number | undefined }): boolean {
  const phase = result.status.operationState?.phase;
  return result.requeueAfterMs === undefined && phase !== 'Running' && phase !== 'Terminating'
    && !result.status.conditions.some((c) => c.type.endsWith('Error'));
}

export async function reconcileApplication(deps: ControllerDeps, key: string, run: RunInfo = { woken: true }): Promise<ReconcileResult> {
  const [namespace = '', name = ''] = key.split('/');
  const app = deps.written.freshest(key, deps.apps.get(namespace, name));
  if (!app) { deps.settled.delete(key); return {}; }
  const reconcileID = randomBytes(4).toString('hex');
  const log = deps.log.child({ app: key, reconcileID });
  if (unchangedSinceSettled(deps, key, app, run)) {
    log.debug('unchanged since the last reconcile: compare skipped');
    return { requeueAfterMs: jitter(deps.reconciliationMs), unchanged: true };
  }
  deps.settled.delete(key);
  const started = Date.now();
  if (app.metadata?.['deletionTimestamp']) return finalizeDeletion(deps, app, log);
  const now = deps.now().toISOString();
  const { deps: d, refreshed } = await handleRefresh(deps, app);
  const v = validate(d, app);
  const result = 'type' in v
    ? { status: problemStatus(app, v, now), requeueAfterMs: undefined }
    : await evaluate(d, app, v, now);
  // A refresh asked for by a person (or a webhook passed on) always shows in reconciledAt.
  const wrote = await writeStatus(d, app, result.status, { force: refreshed });
  if (settles(result)) {
    const version = deps.written.freshest(key, deps.apps.get(namespace, name))?.metadata?.resourceVersion;
    if (version !== undefined) deps.settled.set(key, version);
  }
  const next = Math.min(result.requeueAfterMs ?? Number.POSITIVE_INFINITY, jitter(deps.reconciliationMs));
  // One line per reconcile that changed something; the periodic pass over unchanged Applications
  // logs at debug (its count and duration are in the metrics).
  const fields = {
    sync: result.status.sync.status, health: result.status.health.status, revision: result.status.sync.revision,
    operation: result.status.operationState?.phase, conditions: result.status.conditions.length,
    durationMs: Date.now() - started, nextInMs: next,
  };
  if (wrote === 'changed') log.info('reconciled', fields); else log.debug('reconciled', fields);
  return { requeueAfterMs: next };
}
