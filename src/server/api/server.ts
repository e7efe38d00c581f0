// The `server` role: the JSON API of docs/api.md, authenticated by bearer tokens and authorised by
// roles, with live updates, fed by its own watches of Applications, AppProjects and Fjord's Secrets.
// It gives `fjord run`'s HTTP server one route for `/api/v1/**` and one for `/metrics`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFlavor } from '../../api/flavor.js';
import type { ControllerDeps } from '../../controller/app-context.js';
import type { KubeClient } from '../../kube/client.js';
import { createInformer, type Informer } from '../../kube/watch.js';
import type { Logger } from '../../util/log.js';
import type { Route } from '../http.js';
import type { Metrics } from '../metrics.js';
import { storedToken, TOKEN_SECRET_TYPE, verifyToken, type Principal, type StoredToken } from '../auth/tokens.js';
import type { ApiContext } from './context.js';
import { HttpError, sendError, sendJson } from './http-util.js';
import { Router, type Handler, type Request } from './router.js';
import { handleGet, handleList } from './app-list.js';
import { handleDelete, handleRollback, handleSync, handleTerminate } from './app-actions.js';
import { handleEvents, handleManagedResources, handleResource, handleRevisionMetadata, handleTree } from './app-resources.js';
import { handleClusters, handleProject, handleProjects, handleRepositories, handleUserInfo } from './catalog.js';
import { AppEventHub, handleStream } from './stream.js';
import { webhookHandler, webhookSecretName, webhookSecretsFrom } from '../webhook/index.js';
import type { KubeObject } from '../../kube/client.js';

/** What webhooks need from the controller: its Applications and a way to say a repository moved. */
export interface PushTarget {
  applications(): KubeObject[];
  repositoryPushed(repoUrl: string, appKeys: readonly string[]): Promise<void>;
}

export interface ApiServerOptions {
  readonly kube: KubeClient;
  readonly flavor: ApiFlavor;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly controller?: () => ControllerDeps | undefined;
  readonly version?: string;
  /** The controller, when it runs in this process: webhooks wake it. */
  readonly pushTarget?: PushTarget;
}

function routes(ctx: ApiContext, hub: AppEventHub, version: string): Router {
  const h = (fn: (c: ApiContext, r: Request) => Promise<void>): Handler => (r) => fn(ctx, r);
  const app = '/api/v1/applications/:name';
  return new Router()
    .add('GET', '/api/v1/applications', h(handleList))
    .add('GET', app, h(handleGet))
    .add('DELETE', app, h(handleDelete))
    .add('GET', `${app}/resource-tree`, h(handleTree))
    .add('GET', `${app}/managed-resources`, h(handleManagedResources))
    .add('GET', `${app}/resource`, h(handleResource))
    .add('GET', `${app}/events`, h(handleEvents))
    .add('GET', `${app}/revisions/:revision/metadata`, h(handleRevisionMetadata))
    .add('POST', `${app}/sync`, h(handleSync))
    .add('POST', `${app}/rollback`, h(handleRollback))
    .add('DELETE', `${app}/operation`, h(handleTerminate))
    .add('GET', '/api/v1/stream/applications', (r) => handleStream(ctx, hub, r))
    .add('GET', '/api/v1/projects', h(handleProjects))
    .add('GET', '/api/v1/projects/:name', h(handleProject))
    .add('GET', '/api/v1/repositories', h(handleRepositories))
    .add('GET', '/api/v1/clusters', h(handleClusters))
    .add('GET', '/api/v1/session/userinfo', h(handleUserInfo))
    .add('GET', '/api/v1/settings', (r) => { sendJson(r.res, 200, { namespace: ctx.flavor.namespace, group: ctx.flavor.group, compat: ctx.flavor.group !== 'fjord.dev', version }); return Promise.resolve(); });
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

export class ApiServer {
  private constructor(
    private readonly ctx: ApiContext,
    private readonly router: Router,
    private readonly metrics: Metrics,
    /** What stop() ends: the event hub and the watches. */
    private readonly running: { readonly hub: AppEventHub; readonly informers: Informer[] },
    private readonly webhook: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined,
  ) {}

  /** `POST /api/webhook`: Git providers announce pushes (signatures checked by the handler). */
  readonly webhookRoute: Route = async (req, res, url) => {
    if (url.pathname !== '/api/webhook') return false;
    if (!this.webhook) { sendError(res, 503, 'webhooks need the controller role in this process'); return true; }
    await this.webhook(req, res);
    return true;
  };

  static async start(opts: ApiServerOptions): Promise<ApiServer> {
    const { kube, flavor, metrics } = opts;
    const hub = new AppEventHub();
    const nsPath = `/apis/${flavor.group}/${flavor.version}/namespaces/${flavor.namespace}`;
    const apps = createInformer(kube, { path: `${nsPath}/applications`, onEvent: (type, obj, old) => { metrics.observeApplication(obj, old); hub.publish(type, obj); } });
    const projects = createInformer(kube, { path: `${nsPath}/appprojects` });
    const secrets = createInformer(kube, { path: `/api/v1/namespaces/${flavor.namespace}/secrets`, labelSelector: `${flavor.secretTypeLabel} in (${TOKEN_SECRET_TYPE},repository,repo-creds,cluster)` });
    const webhookSecret = createInformer(kube, { path: `/api/v1/namespaces/${flavor.namespace}/secrets`, fieldSelector: `metadata.name=${webhookSecretName(flavor)}` });
    const informers = [apps, projects, secrets, webhookSecret];
    for (const i of informers) i.start();
    await Promise.all(informers.map((i) => i.synced()));
    metrics.watchApplications({ applications: () => apps.list() });
    const ctx: ApiContext = { kube, flavor, apps, projects, secrets, log: opts.log, ...(opts.controller ? { controller: opts.controller } : {}) };
    const target = opts.pushTarget;
    const webhook = target
      ? webhookHandler({
        secrets: () => webhookSecretsFrom(webhookSecret.list()[0], flavor),
        applications: () => target.applications(),
        repositoryPushed: (url, keys) => target.repositoryPushed(url, keys),
        log: opts.log.child({ component: 'webhook' }),
      })
      : undefined;
    return new ApiServer(ctx, routes(ctx, hub, opts.version ?? '0.1.0'), metrics, { hub, informers }, webhook);
  }

  private token(id: string): StoredToken | undefined {
    for (const s of this.ctx.secrets.list()) {
      const labels = (s.metadata?.['labels'] ?? {}) as Record<string, string>;
      if (labels[this.ctx.flavor.secretTypeLabel] !== TOKEN_SECRET_TYPE) continue;
      const t = storedToken(s);
      if (t?.id === id) return t;
    }
    return undefined;
  }

  authenticate(req: IncomingMessage): Principal | undefined {
    const token = bearer(req);
    return token ? verifyToken(token, (id) => this.token(id)) : undefined;
  }

  /** `/api/v1/**`: 401 without a valid token, then the route table. */
  readonly apiRoute: Route = async (req, res, url) => {
    if (!url.pathname.startsWith('/api/v1/')) return false;
    const started = performance.now();
    let route = 'unknown';
    try {
      const m = this.router.match(req.method ?? 'GET', url.pathname);
      if (m === undefined) throw new HttpError(404, `${url.pathname}: no such API path`);
      if (m === 'method') throw new HttpError(405, `${req.method ?? ''} is not allowed on ${url.pathname}`);
      route = m.pattern;
      const who = url.pathname === '/api/v1/settings' ? { subject: 'anonymous', roles: [] } : this.authenticate(req);
      if (!who) throw new HttpError(401, 'authentication required: send Authorization: Bearer <token> (fjord token create, or the token fjord install printed)');
      await m.handler({ req, res, url, params: m.params, who });
    } catch (e) {
      this.fail(res, e, req, url);
    } finally {
      this.metrics.apiDuration.observe({ method: req.method ?? '', route, code: String(res.statusCode) }, (performance.now() - started) / 1000);
    }
    return true;
  };

  readonly metricsRoute: Route = async (req, res, url) => {
    if (url.pathname !== '/metrics' || req.method !== 'GET') return false;
    res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(await this.metrics.text());
    return true;
  };

  private fail(res: ServerResponse, e: unknown, req: IncomingMessage, url: URL): void {
    if (res.headersSent) { res.end(); return; }
    if (e instanceof HttpError) { sendError(res, e.status, e.message); return; }
    this.ctx.log.error('API request failed', { method: req.method, path: url.pathname, error: (e as Error).message });
    sendError(res, 500, `${req.method ?? ''} ${url.pathname}: ${(e as Error).message}`);
  }

  async stop(): Promise<void> {
    this.running.hub.close();
    await Promise.all(this.running.informers.map((i) => i.stop()));
  }
}
