// The rest of what the API shows: AppProjects, repositories and clusters (from their Secrets, never
// with a credential), the caller's identity and the server's settings.
import type { KubeObject } from '../../kube/client.js';
import { parseClusterSecret } from '../../controller/clusters.js';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../../controller/app-context.js';
import { redactUrl } from '../../source/repo-url.js';
import { allowed } from '../auth/rbac.js';
import type { ApiContext } from './context.js';
import { requirePermission } from './context.js';
import { HttpError, sendJson, withoutManagedFields } from './http-util.js';
import type { Request } from './router.js';

function secretsOfType(ctx: ApiContext, ...types: string[]): KubeObject[] {
  return ctx.secrets.list().filter((s) => types.includes(((s.metadata?.['labels'] ?? {}) as Record<string, string>)[ctx.flavor.secretTypeLabel] ?? ''));
}

function field(secret: KubeObject, key: string): string | undefined {
  const v = (secret['data'] as Record<string, string> | undefined)?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

export async function handleProjects(ctx: ApiContext, r: Request): Promise<void> {
  const visible = ctx.projects.list().filter((p) => allowed(r.who, { resource: 'projects', action: 'get', object: p.metadata?.name ?? '' }, () => p)
    || r.who.roles.some((role) => role.startsWith(`proj:${p.metadata?.name ?? ''}:`)));
  sendJson(r.res, 200, { items: visible.map(withoutManagedFields) });
  await Promise.resolve();
}

export async function handleProject(ctx: ApiContext, r: Request): Promise<void> {
  const name = r.params['name'] ?? '';
  const project = ctx.projects.get(ctx.flavor.namespace, name);
  const member = r.who.roles.some((role) => role.startsWith(`proj:${name}:`));
  if (!member) requirePermission(ctx, r.who, { resource: 'projects', action: 'get', object: name });
  if (!project) throw new HttpError(404, `project ${name} not found in namespace ${ctx.flavor.namespace}`);
  sendJson(r.res, 200, withoutManagedFields(project));
  await Promise.resolve();
}

export async function handleRepositories(ctx: ApiContext, r: Request): Promise<void> {
  requirePermission(ctx, r.who, { resource: 'repositories', action: 'get', object: '*' });
  const items = secretsOfType(ctx, 'repository', 'repo-creds').map((s) => {
    const project = field(s, 'project');
    const name = field(s, 'name');
    return {
      repo: redactUrl(field(s, 'url') ?? ''), type: field(s, 'type') ?? 'git', secret: s.metadata?.name,
      credentialTemplate: ((s.metadata?.['labels'] ?? {}) as Record<string, string>)[ctx.flavor.secretTypeLabel] === 'repo-creds',
      ...(name ? { name } : {}), ...(project ? { project } : {}),
    };
  });
  sendJson(r.res, 200, { items });
  await Promise.resolve();
}

export async function handleClusters(ctx: ApiContext, r: Request): Promise<void> {
  requirePermission(ctx, r.who, { resource: 'clusters', action: 'get', object: '*' });
  const registered = secretsOfType(ctx, 'cluster').map((s) => {
    const c = parseClusterSecret(s);
    return 'error' in c
      ? { server: c.server ?? '', name: c.name ?? '', secret: c.secret, connectionState: { status: 'Failed', message: c.error } }
      : { server: c.server, name: c.name, secret: c.secret, namespaces: c.namespaces, connectionState: { status: 'Registered' } };
  });
  sendJson(r.res, 200, { items: [{ server: IN_CLUSTER_SERVER, name: IN_CLUSTER_NAME, connectionState: { status: 'Successful' } }, ...registered] });
  await Promise.resolve();
}

export async function handleUserInfo(_ctx: ApiContext, r: Request): Promise<void> {
  sendJson(r.res, 200, { loggedIn: true, subject: r.who.subject, roles: r.who.roles });
  await Promise.resolve();
}
