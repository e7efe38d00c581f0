// Fjord's API server in-process on 127.0.0.1 next to a test controller (same namespace), with the
// HTTP routes `fjord run` mounts; stopped when the test ends. Tokens are made with the real token code.
import type { TestContext } from 'node:test';
import { KubeClient } from '../kube/client.js';
import { createLogger } from '../util/log.js';
import { ApiServer } from '../server/api/server.js';
import { FjordHttpServer, type Route } from '../server/http.js';
import { Metrics } from '../server/metrics.js';
import { createToken } from '../server/auth/tokens.js';
import type { TestController } from './controller.js';
import { defer } from './cleanup.js';

export interface TestServer {
  readonly url: string;
  readonly api: ApiServer;
  readonly metrics: Metrics;
  /** A new token with these roles (waits until the server's watch has it). */
  token(subject: string, roles: string[]): Promise<string>;
  /** fetch() against the server with a bearer token. */
  call(token: string | undefined, path: string, init?: RequestInit): Promise<Response>;
}

export async function startTestServer(t: TestContext, ctrl: TestController, extraRoutes: Route[] = []): Promise<TestServer> {
  const kube = new KubeClient(ctrl.manager.deps.kube.access);
  const flavor = ctrl.flavor.namespace === ctrl.namespace ? ctrl.flavor : { ...ctrl.flavor, namespace: ctrl.namespace };
  const metrics = new Metrics();
  const api = await ApiServer.start({ kube, flavor, log: createLogger({ format: 'text', write: () => undefined }), metrics, controller: () => ctrl.manager.deps, pushTarget: ctrl.manager });
  metrics.watchQueue(() => ctrl.manager.queueDepth());
  ctrl.manager.observeWith(metrics.controllerObservers());
  const http = await FjordHttpServer.start({ host: '127.0.0.1', port: 0, routes: [api.webhookRoute, api.apiRoute, api.metricsRoute, ...extraRoutes] });
  defer(t, async () => {
    await http.stop();
    await api.stop();
    await kube.close();
  });
  const call = (token: string | undefined, path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${http.url}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) } });
  return {
    url: http.url, api, metrics, call,
    token: async (subject, roles) => {
      const token = await createToken(kube, ctrl.namespace, flavor.secretTypeLabel, subject, roles);
      for (let i = 0; i < 100; i++) {
        if ((await call(token, '/api/v1/session/userinfo')).status === 200) return token;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`token for ${subject} never became valid`);
    },
  };
}
