// What the API handlers read from: watch-fed caches of Applications, AppProjects and Fjord's Secrets
// (never a list call per request), the cluster client for actions, and the controller when it runs in
// the same process (for diffs and live objects).
import type { ApiFlavor } from '../../api/flavor.js';
import { applicationPath } from '../../api/flavor.js';
import type { ControllerDeps } from '../../controller/app-context.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import type { Informer } from '../../kube/watch.js';
import type { Logger } from '../../util/log.js';
import { HttpError } from './http-util.js';
import { allowed, describePermission, type Action, type Permission } from '../auth/rbac.js';
import type { Principal } from '../auth/tokens.js';

export interface ApiContext {
  readonly kube: KubeClient;
  /** The flavor served, with the namespace of Applications, AppProjects and Secrets. */
  readonly flavor: ApiFlavor;
  readonly apps: Informer;
  readonly projects: Informer;
  /** Fjord's labelled Secrets in its namespace: tokens, repositories, clusters. */
  readonly secrets: Informer;
  /** The controller's parts, when the controller role runs in this process. */
  readonly controller?: () => ControllerDeps | undefined;
  readonly log: Logger;
}

export function appPath(ctx: ApiContext, name: string): string {
  return applicationPath(ctx.flavor, ctx.flavor.namespace, name);
}

export function projectOfApp(app: KubeObject): string {
  return (app['spec'] as { project?: string } | undefined)?.project ?? 'default';
}

/** The Application by name, or 404 naming it. */
export function findApp(ctx: ApiContext, name: string): KubeObject {
  const app = ctx.apps.get(ctx.flavor.namespace, name);
  if (!app) throw new HttpError(404, `application ${name} not found in namespace ${ctx.flavor.namespace}`);
  return app;
}

/** Throws 403 naming the missing permission unless the principal holds it. */
export function requirePermission(ctx: ApiContext, who: Principal, p: Permission): void {
  if (allowed(who, p, (name) => ctx.projects.get(ctx.flavor.namespace, name))) return;
  throw new HttpError(403, `permission denied: ${describePermission(p)} (subject ${who.subject} has ${who.roles.join(', ') || 'no roles'})`);
}

/** The Application by name after checking the principal may do `action` on it; 404 and 403 are told apart only for those allowed to see it. */
export function authorizedApp(ctx: ApiContext, who: Principal, name: string, action: Action): KubeObject {
  const app = findApp(ctx, name);
  const object = `${projectOfApp(app)}/${name}`;
  if (!allowed(who, { resource: 'applications', action: 'get', object }, (p) => ctx.projects.get(ctx.flavor.namespace, p))) {
    throw new HttpError(404, `application ${name} not found in namespace ${ctx.flavor.namespace}`);
  }
  if (action !== 'get') requirePermission(ctx, who, { resource: 'applications', action, object });
  return app;
}
