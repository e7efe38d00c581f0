// GET /api/v1/applications and /api/v1/applications/{name}: from the watch cache, filtered, sorted by
// name and paginated with an opaque `continue` token (the last name of the page), so a page costs
// no request to the API server however many Applications there are.
import type { KubeObject } from '../../kube/client.js';
import { allowed } from '../auth/rbac.js';
import type { Principal } from '../auth/tokens.js';
import { appPath, authorizedApp, projectOfApp, type ApiContext } from './context.js';
import { HttpError, sendJson, withoutManagedFields } from './http-util.js';
import type { Request } from './router.js';

export interface ListQuery {
  readonly projects: readonly string[];
  readonly sync?: string;
  readonly health?: string;
  readonly selector: readonly [string, string | undefined][];
  readonly search?: string;
  readonly limit: number;
  readonly after?: string;
}

function parseSelector(s: string | null): [string, string | undefined][] {
  if (!s) return [];
  return s.split(',').map((part) => part.trim()).filter((p) => p !== '').map((p) => {
    const [k = '', v] = p.split('=', 2);
    return [k.trim(), v?.trim()];
  });
}

export function parseListQuery(url: URL): ListQuery {
  const limitRaw = url.searchParams.get('limit');
  const limit = limitRaw === null ? 100 : Number.parseInt(limitRaw, 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError(400, `limit ${limitRaw ?? ''}: must be a whole number from 1 to 1000`);
  const cont = url.searchParams.get('continue');
  let after: string | undefined;
  if (cont) {
    try {
      after = (JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as { after?: unknown }).after as string | undefined;
    } catch {
      throw new HttpError(400, 'continue: not a token this server gave out');
    }
    if (typeof after !== 'string') throw new HttpError(400, 'continue: not a token this server gave out');
  }
  const str = (k: string): string | undefined => url.searchParams.get(k) ?? undefined;
  const sync = str('sync');
  const health = str('health');
  const search = str('search');
  return {
    projects: url.searchParams.getAll('project').flatMap((p) => p.split(',')).filter((p) => p !== ''),
    selector: parseSelector(url.searchParams.get('selector')),
    limit,
    ...(sync ? { sync } : {}), ...(health ? { health } : {}), ...(search ? { search: search.toLowerCase() } : {}), ...(after !== undefined ? { after } : {}),
  };
}

function statusOf(app: KubeObject): { sync?: string; health?: string } {
  const s = app['status'] as { sync?: { status?: string }; health?: { status?: string } } | undefined;
  return { sync: s?.sync?.status ?? 'Unknown', health: s?.health?.status ?? 'Unknown' };
}

export function matchesQuery(app: KubeObject, q: ListQuery): boolean {
  const name = app.metadata?.name ?? '';
  const labels = (app.metadata?.['labels'] ?? {}) as Record<string, string>;
  const st = statusOf(app);
  if (q.projects.length > 0 && !q.projects.includes(projectOfApp(app))) return false;
  if (q.sync && st.sync !== q.sync) return false;
  if (q.health && st.health !== q.health) return false;
  if (q.search && !name.toLowerCase().includes(q.search)) return false;
  return q.selector.every(([k, v]) => (v === undefined ? k in labels : labels[k] === v));
}

export function listApplications(all: readonly KubeObject[], q: ListQuery, visible: (app: KubeObject) => boolean): { items: KubeObject[]; continueToken?: string; total: number } {
  const matching = all.filter((a) => visible(a) && matchesQuery(a, q)).sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  const start = q.after === undefined ? 0 : matching.findIndex((a) => (a.metadata?.name ?? '') > (q.after ?? ''));
  const from = start < 0 ? matching.length : start;
  const items = matching.slice(from, from + q.limit);
  const last = items.at(-1)?.metadata?.name;
  const more = from + q.limit < matching.length && last !== undefined;
  return { items, total: matching.length, ...(more ? { continueToken: Buffer.from(JSON.stringify({ after: last })).toString('base64url') } : {}) };
}

export function canSee(ctx: ApiContext, who: Principal): (app: KubeObject) => boolean {
  return (app) => allowed(who, { resource: 'applications', action: 'get', object: `${projectOfApp(app)}/${app.metadata?.name ?? ''}` }, (p) => ctx.projects.get(ctx.flavor.namespace, p));
}

export async function handleList(ctx: ApiContext, r: Request): Promise<void> {
  const page = listApplications(ctx.apps.list(), parseListQuery(r.url), canSee(ctx, r.who));
  sendJson(r.res, 200, { items: page.items.map(withoutManagedFields), metadata: { total: page.total, ...(page.continueToken ? { continue: page.continueToken } : {}) } });
  await Promise.resolve();
}

export async function handleGet(ctx: ApiContext, r: Request): Promise<void> {
  const name = r.params['name'] ?? '';
  const app = authorizedApp(ctx, r.who, name, 'get');
  const refresh = r.url.searchParams.get('refresh');
  if (refresh !== null) {
    if (refresh !== 'normal' && refresh !== 'hard') throw new HttpError(400, `refresh ${refresh}: must be normal or hard`);
    const written = await ctx.kube.request('PATCH', appPath(ctx, name), { body: { metadata: { annotations: { [ctx.flavor.refreshAnnotation]: refresh } } }, contentType: 'application/merge-patch+json' });
    sendJson(r.res, 200, withoutManagedFields(written));
    return;
  }
  sendJson(r.res, 200, withoutManagedFields(app));
}
