// Actions on an Application, done the way `argocd app …` does them: a sync or rollback writes the
// `operation` field that the controller carries out; terminate marks the running operation
// Terminating; delete (with cascade) adds the resources finalizer first. Bodies are validated here.
import { z } from 'zod';
import { KubeApiError, type KubeObject } from '../../kube/client.js';
import type { ApplicationStatus } from '../../controller/app-status.js';
import { TERMINATE_ANNOTATION } from '../../controller/app-operation.js';
import { appPath, authorizedApp, type ApiContext } from './context.js';
import { HttpError, readJson, sendJson, withoutManagedFields } from './http-util.js';
import type { Request } from './router.js';

const resourceRef = z.object({ group: z.string().optional().default(''), kind: z.string().min(1), namespace: z.string().optional().default(''), name: z.string().min(1) });
const syncBody = z.object({
  revision: z.string().max(255).optional(),
  prune: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  resources: z.array(resourceRef).max(1000).optional(),
  syncOptions: z.object({ items: z.array(z.string().max(200)).max(50) }).optional(),
}).strict();
const rollbackBody = z.object({ id: z.number().int().nonnegative(), prune: z.boolean().optional(), dryRun: z.boolean().optional() }).strict();

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, `${what}: ${r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  return r.data;
}

function status(app: KubeObject): Partial<ApplicationStatus> {
  return (app['status'] ?? {});
}

function refuseIfBusy(app: KubeObject): void {
  const name = app.metadata?.name ?? '';
  if (app['operation']) throw new HttpError(409, `application ${name}: another operation is already requested`);
  if (status(app).operationState?.phase === 'Running') throw new HttpError(409, `application ${name}: an operation is already in progress (terminate it first)`);
}

async function patchApp(ctx: ApiContext, name: string, body: unknown, subresource = ''): Promise<KubeObject> {
  try {
    return await ctx.kube.request('PATCH', `${appPath(ctx, name)}${subresource}`, { body, contentType: 'application/merge-patch+json' });
  } catch (e) {
    if (e instanceof KubeApiError && e.status === 404) throw new HttpError(404, `application ${name} not found`);
    throw e;
  }
}

function isAutomated(app: KubeObject): boolean {
  const auto = (app['spec'] as { syncPolicy?: { automated?: { enabled?: boolean } } } | undefined)?.syncPolicy?.automated;
  return auto !== undefined && auto.enabled !== false;
}

export async function handleSync(ctx: ApiContext, r: Request): Promise<void> {
  const name = r.params['name'] ?? '';
  const app = authorizedApp(ctx, r.who, name, 'sync');
  const body = parse(syncBody, await readJson(r.req), `sync of application ${name}`);
  refuseIfBusy(app);
  const target = (app['spec'] as { source?: { targetRevision?: string } } | undefined)?.source?.targetRevision ?? 'HEAD';
  const current = status(app).sync?.revision ?? '';
  if (body.revision && isAutomated(app) && body.revision !== target && !current.startsWith(body.revision)) {
    throw new HttpError(400, `application ${name}: cannot sync to revision ${body.revision}: automated sync is enabled and follows ${target} (disable it to sync another revision)`);
  }
  const sync = {
    ...(body.revision ? { revision: body.revision } : {}), prune: body.prune ?? false, ...(body.dryRun ? { dryRun: true } : {}),
    ...(body.resources?.length ? { resources: body.resources } : {}), ...(body.syncOptions?.items.length ? { syncOptions: body.syncOptions.items } : {}),
  };
  const written = await patchApp(ctx, name, { operation: { sync, initiatedBy: { username: r.who.subject } } });
  sendJson(r.res, 200, withoutManagedFields(written));
}

export async function handleRollback(ctx: ApiContext, r: Request): Promise<void> {
  const name = r.params['name'] ?? '';
  const app = authorizedApp(ctx, r.who, name, 'rollback');
  const body = parse(rollbackBody, await readJson(r.req), `rollback of application ${name}`);
  if (isAutomated(app)) throw new HttpError(400, `application ${name}: rollback cannot be initiated when automated sync is enabled (disable it first)`);
  const entry = status(app).history?.find((h) => h.id === body.id);
  if (!entry) throw new HttpError(404, `application ${name}: history has no entry with id ${body.id}`);
  refuseIfBusy(app);
  const sync = { revision: entry.revision, prune: body.prune ?? false, ...(body.dryRun ? { dryRun: true } : {}) };
  const written = await patchApp(ctx, name, { operation: { sync, initiatedBy: { username: r.who.subject } } });
  sendJson(r.res, 200, withoutManagedFields(written));
}

export async function handleTerminate(ctx: ApiContext, r: Request): Promise<void> {
  const name = r.params['name'] ?? '';
  const app = authorizedApp(ctx, r.who, name, 'sync');
  if (status(app).operationState?.phase !== 'Running') throw new HttpError(409, `application ${name}: no operation is in progress`);
  await patchApp(ctx, name, { metadata: { annotations: { [TERMINATE_ANNOTATION]: new Date().toISOString() } } });
  sendJson(r.res, 200, { message: `termination of the operation of ${name} requested` });
}

export async function handleDelete(ctx: ApiContext, r: Request): Promise<void> {
  const name = r.params['name'] ?? '';
  authorizedApp(ctx, r.who, name, 'delete');
  const cascade = r.url.searchParams.get('cascade') !== 'false';
  const ours = ctx.flavor.resourcesFinalizer;
  const finalizers = (ctx.apps.get(ctx.flavor.namespace, name)?.metadata?.['finalizers'] as string[] | undefined) ?? [];
  if (cascade && !finalizers.includes(ours)) await patchApp(ctx, name, { metadata: { finalizers: [...finalizers, ours] } });
  if (!cascade && finalizers.includes(ours)) await patchApp(ctx, name, { metadata: { finalizers: finalizers.filter((f) => f !== ours) } });
  await ctx.kube.delete(appPath(ctx, name));
  sendJson(r.res, 200, { message: `application ${name} deleted${cascade ? ' (its resources are being deleted)' : ' (its resources are left in place)'}` });
}
