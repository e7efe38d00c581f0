// Running one hook within a sync step. A hook is created once per operation (its result records
// that, so a restarted controller never runs it twice), then watched until it completes: a Job or Pod
// that succeeds lets the sync go on, one that fails fails the operation. Delete policies clean up:
// BeforeHookCreation removes the previous run first, HookSucceeded/HookFailed remove it afterwards.
import { createHash } from 'node:crypto';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { KubeApiError } from '../kube/client.js';
import type { ResourceInfo } from '../kube/discovery.js';
import { collectionPath, objectPath } from '../kube/paths.js';
import { assessHealth } from '../health/health.js';
import { deletePolicies, hookWave } from '../sync/hooks.js';
import type { SyncPhase } from '../sync/order.js';
import { describeObject } from '../sync/apply.js';
import { groupOf } from '../sync/tracking.js';
import type { ResourceResult } from './app-status.js';
import type { DesiredObject } from './desired.js';

export interface HookContext {
  readonly kube: KubeClient;
  readonly fieldManager: string;
  /** The live object of a hook by name, from the watch cache. */
  readonly liveOf: (info: ResourceInfo, namespace: string | undefined, name: string) => KubeObject | undefined;
  /** The operation this hook runs for; written on the hook so a restarted controller adopts it instead of running it again. */
  readonly operationId: string;
}

export const HOOK_OPERATION_ANNOTATION = 'fjord.dev/hook-operation';
/** On hooks created with generateName: which operation and hook they are, as a label a list can select. */
export const HOOK_INSTANCE_LABEL = 'fjord.dev/hook-instance';

function createdFor(obj: KubeObject | undefined): string | undefined {
  return (obj?.metadata?.['annotations'] as Record<string, string> | undefined)?.[HOOK_OPERATION_ANNOTATION];
}

export type HookProgress = 'done' | 'waiting' | 'failed';

export function hookKey(phase: SyncPhase, d: DesiredObject): string {
  const m = d.object.metadata;
  return `${phase}/${groupOf(d.object.apiVersion)}/${d.object.kind ?? ''}/${m?.namespace ?? ''}/${m?.name ?? m?.['generateName'] as string}`;
}

function result(phase: SyncPhase, d: DesiredObject, name: string, hookPhase: ResourceResult['hookPhase'], message: string): ResourceResult {
  return {
    group: groupOf(d.object.apiVersion), version: d.info.version, kind: d.object.kind ?? '', namespace: d.object.metadata?.namespace ?? '', name,
    status: hookPhase === 'Failed' ? 'SyncFailed' : 'Synced', message, syncPhase: phase, syncWave: hookWave(d.object), hookType: phase, ...(hookPhase ? { hookPhase } : {}),
  };
}

async function deleteIfPresent(kube: KubeClient, info: ResourceInfo, obj: { namespace?: string | undefined; name: string }): Promise<void> {
  await kube.delete(objectPath(info, obj.name, obj.namespace), 'Background');
}

/**
 * A hook with generateName gets its name from the API server, so a controller killed between the
 * create and the status write could not find it by name. It carries a label unique to this
 * operation and hook instead, and a restarted controller looks for that label before creating.
 */
async function createGenerated(ctx: HookContext, phase: SyncPhase, d: DesiredObject, body: KubeObject): Promise<string> {
  const m = body.metadata ?? {};
  const instance = createHash('sha256').update(`${ctx.operationId}\0${hookKey(phase, d)}`).digest('hex').slice(0, 32);
  const selector = `${HOOK_INSTANCE_LABEL}=${instance}`;
  const found = await ctx.kube.request<{ items?: KubeObject[] }>('GET', collectionPath(d.info, m.namespace), { query: { labelSelector: selector } });
  const adopted = found.items?.find((o) => createdFor(o) === ctx.operationId)?.metadata?.name;
  if (adopted) return adopted;
  const labelled = { ...body, metadata: { ...m, labels: { ...(m['labels'] as Record<string, string> | undefined), [HOOK_INSTANCE_LABEL]: instance } } };
  const created = await ctx.kube.request('POST', collectionPath(d.info, m.namespace), { body: labelled, query: { fieldManager: ctx.fieldManager } });
  return created.metadata?.name ?? '';
}

async function create(ctx: HookContext, phase: SyncPhase, d: DesiredObject): Promise<string> {
  const m = d.object.metadata ?? {};
  const body = { ...d.object, metadata: { ...m, annotations: { ...(m['annotations'] as Record<string, string> | undefined), [HOOK_OPERATION_ANNOTATION]: ctx.operationId } } };
  if (!m.name) return createGenerated(ctx, phase, d, body);
  const existing = ctx.liveOf(d.info, m.namespace, m.name) ?? await ctx.kube.getOrUndefined(objectPath(d.info, m.name, m.namespace));
  // Created for this very operation by a controller that stopped before recording it: adopt it.
  if (createdFor(existing) === ctx.operationId) return m.name;
  if (deletePolicies(d.object).includes('BeforeHookCreation') && existing) {
    await deleteIfPresent(ctx.kube, d.info, { namespace: m.namespace, name: m.name });
    throw new KubeApiError(`${describeObject(d.object)}: waiting for the previous run to be deleted`, 409, 'AlreadyExists');
  }
  await ctx.kube.request('POST', collectionPath(d.info, m.namespace), { body, query: { fieldManager: ctx.fieldManager } });
  return m.name;
}

/**
 * A hook recorded as running that no longer exists. With only HookSucceeded it was deleted after it
 * succeeded (the controller stopped before recording that); otherwise nobody can say how it ended,
 * and the operation fails saying so rather than waiting forever.
 */
function vanished(phase: SyncPhase, d: DesiredObject, previous: ResourceResult): { progress: HookProgress; result: ResourceResult } {
  const policies = deletePolicies(d.object);
  if (policies.includes('HookSucceeded') && !policies.includes('HookFailed')) {
    return { progress: 'done', result: { ...previous, hookPhase: 'Succeeded', message: `${phase} hook ${previous.kind}/${previous.name} succeeded (deleted by its HookSucceeded policy)` } };
  }
  return { progress: 'failed', result: { ...previous, status: 'SyncFailed', hookPhase: 'Failed', message: `${phase} hook ${previous.kind}/${previous.name} was deleted before its result was recorded` } };
}

/** Advances one hook; returns its progress and its result to record. */
export async function runHook(ctx: HookContext, phase: SyncPhase, d: DesiredObject, previous: ResourceResult | undefined): Promise<{ progress: HookProgress; result: ResourceResult }> {
  if (!previous) {
    try {
      const name = await create(ctx, phase, d);
      return { progress: 'waiting', result: result(phase, d, name, 'Running', `${phase} hook ${describeObject({ ...d.object, metadata: { ...d.object.metadata, name } })} created`) };
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 409) return { progress: 'waiting', result: result(phase, d, d.object.metadata?.name ?? '', undefined, (e as Error).message) };
      return { progress: 'failed', result: result(phase, d, d.object.metadata?.name ?? '', 'Failed', `${describeObject(d.object)}: ${(e as Error).message}`) };
    }
  }
  if (previous.hookPhase === 'Succeeded') return { progress: 'done', result: previous };
  if (previous.hookPhase === 'Failed') return { progress: 'failed', result: previous };
  if (previous.hookPhase === undefined) return runHook(ctx, phase, d, undefined);
  const live = ctx.liveOf(d.info, d.object.metadata?.namespace, previous.name) ?? await ctx.kube.getOrUndefined(objectPath(d.info, previous.name, previous.namespace || undefined));
  if (!live) return vanished(phase, d, previous);
  const health = assessHealth(live);
  if (health === undefined || health.status === 'Healthy') {
    if (deletePolicies(d.object).includes('HookSucceeded')) await deleteIfPresent(ctx.kube, d.info, { namespace: previous.namespace, name: previous.name });
    return { progress: 'done', result: { ...previous, hookPhase: 'Succeeded', message: `${phase} hook ${previous.kind}/${previous.name} succeeded` } };
  }
  if (health.status === 'Degraded') {
    if (deletePolicies(d.object).includes('HookFailed')) await deleteIfPresent(ctx.kube, d.info, { namespace: previous.namespace, name: previous.name });
    return { progress: 'failed', result: { ...previous, status: 'SyncFailed', hookPhase: 'Failed', message: `${phase} hook ${previous.kind}/${previous.name} failed: ${health.message ?? 'degraded'}` } };
  }
  return { progress: 'waiting', result: previous };
}
