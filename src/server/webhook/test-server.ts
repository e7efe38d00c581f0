// For the webhook tests: the handler behind a real HTTP server on 127.0.0.1, recording what it asks
// the controller to refresh, plus the fixture payloads of testdata/webhooks and Application objects.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import type { KubeObject } from '../../kube/client.js';
import { createLogger } from '../../util/log.js';
import { webhookHandler } from './handler.js';
import type { WebhookSecrets } from './types.js';

export interface Pushed { readonly repoUrl: string; readonly appKeys: readonly string[] }

export interface WebhookTestServer {
  readonly url: string;
  /** What the handler asked the controller, in order. */
  readonly pushed: Pushed[];
  /** Log lines written by the handler (to check that no secret leaks). */
  readonly logs: string[];
  post(headers: Record<string, string>, body: string | Buffer): Promise<{ status: number; json: Record<string, unknown> }>;
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../../../testdata/webhooks/${name}`, import.meta.url), 'utf8');
}

export function application(name: string, source: Record<string, unknown>, annotations: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'fjord.dev/v1alpha1', kind: 'Application', metadata: { name, namespace: 'fjord', annotations }, spec: { project: 'default', source } };
}

export async function startWebhookServer(t: TestContext, opts: { secrets?: WebhookSecrets; apps: KubeObject[] | (() => KubeObject[]); maxBodyBytes?: number }): Promise<WebhookTestServer> {
  const pushed: Pushed[] = [];
  const logs: string[] = [];
  const handler = webhookHandler({
    secrets: () => opts.secrets ?? {},
    applications: typeof opts.apps === 'function' ? opts.apps : () => opts.apps as KubeObject[],
    repositoryPushed: (repoUrl, appKeys) => { pushed.push({ repoUrl, appKeys }); return Promise.resolve(); },
    log: createLogger({ write: (l) => { logs.push(l); } }),
    ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
  });
  const done: Promise<void>[] = [];
  const server = createServer((req, res) => { done.push(handler(req, res)); });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
  });
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/api/webhook`;
  return {
    url, pushed, logs,
    post: async (headers, body) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const json = await res.json() as Record<string, unknown>;
      await Promise.all(done.splice(0));
      return { status: res.status, json };
    },
  };
}
