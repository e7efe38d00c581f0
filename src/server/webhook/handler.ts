// `POST /api/webhook`: reads at most `maxBodyBytes`, finds the provider by its headers, checks the
// signature when a secret is configured for it (401 otherwise, and nothing is refreshed), ignores
// events that are not pushes, and asks the controller to look at the pushed repository now, waking
// the Applications the push concerns. Answers before the controller has finished asking Git.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../kube/client.js';
import { normalizeRepoUrl, redactUrl } from '../../source/repo-url.js';
import type { Logger } from '../../util/log.js';
import { matchApplications, type MatchedApp } from './match.js';
import { detectProvider, PROVIDERS, verifyRequest, type Headers, type ProviderSpec } from './providers.js';
import type { PushEvent, WebhookSecrets } from './types.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface WebhookHandlerOptions {
  readonly secrets: () => WebhookSecrets;
  readonly applications: () => KubeObject[];
  /** The controller's `repositoryPushed`: ask the repository now and reconcile these Applications. */
  readonly repositoryPushed: (repoUrl: string, appKeys: readonly string[]) => Promise<void>;
  readonly log: Logger;
  readonly maxBodyBytes?: number;
}

export type WebhookRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function send(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(`${JSON.stringify(body)}\n`);
}

function headersOf(req: IncomingMessage): Headers {
  return (name) => {
    const v = req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
}

/** The body, or undefined once it grows past `max` bytes (the rest is not read). */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > max) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** JSON, or GitHub's form encoding (`payload=<JSON>`) when the hook was created with it. */
function parsePayload(body: Buffer, contentType: string | undefined): unknown {
  const text = body.toString('utf8');
  if (contentType?.startsWith('application/x-www-form-urlencoded')) return JSON.parse(new URLSearchParams(text).get('payload') ?? '');
  return JSON.parse(text);
}

function uniqueMatches(events: readonly PushEvent[], apps: readonly KubeObject[]): MatchedApp[] {
  const byKey = new Map<string, MatchedApp>();
  for (const ev of events) for (const m of matchApplications(ev, apps)) if (!byKey.has(m.key)) byKey.set(m.key, m);
  return [...byKey.values()];
}

/** The matched Applications grouped by repository (one ls-remote per repository). */
function byRepository(matches: readonly MatchedApp[]): Map<string, { url: string; keys: string[] }> {
  const groups = new Map<string, { url: string; keys: string[] }>();
  for (const m of matches) {
    const key = normalizeRepoUrl(m.repoURL);
    const group = groups.get(key) ?? { url: m.repoURL, keys: [] };
    group.keys.push(m.key);
    groups.set(key, group);
  }
  return groups;
}

const KNOWN_HEADERS = 'X-GitHub-Event, X-Gitlab-Event, X-Event-Key (Bitbucket), X-Gitea-Event, X-Gogs-Event or X-Fjord-Event/X-Fjord-Signature';

/** The request handler; it never rejects (a failure is answered 500 and logged). */
export function webhookHandler(opts: WebhookHandlerOptions): WebhookRequestHandler {
  const max = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (req, res) => {
    try {
      await handle(req, res, opts, max);
    } catch (e) {
      opts.log.error('webhook failed', { error: (e as Error).message });
      if (!res.headersSent) send(res, 500, { error: `webhook failed: ${(e as Error).message}` });
      else res.end();
    }
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: WebhookHandlerOptions, max: number): Promise<void> {
  if (req.method !== 'POST') { send(res, 405, { error: 'webhooks are POST requests' }, { allow: 'POST' }); return; }
  const body = await readBody(req, max);
  if (body === undefined) { send(res, 413, { error: `webhook payload larger than ${max} bytes` }, { connection: 'close' }); return; }
  const h = headersOf(req);
  const spec = detectProvider(h);
  if (!spec) { send(res, 400, { error: `unknown webhook: expected one of ${KNOWN_HEADERS}` }); return; }
  const refusal = refusalReason(spec, h, body, opts.secrets());
  if (refusal !== undefined) {
    opts.log.warn('webhook refused', { provider: spec.provider, reason: refusal, remote: req.socket.remoteAddress });
    send(res, 401, { provider: spec.provider, error: `${spec.provider} webhook: ${refusal}` });
    return;
  }
  const event = spec.event(h);
  if (!spec.pushEvents.has(event)) { send(res, 200, { provider: spec.provider, ignored: `event "${event}" is not a push` }); return; }
  let events: PushEvent[];
  try {
    events = spec.parse(parsePayload(body, h('content-type')));
  } catch (e) {
    send(res, 400, { provider: spec.provider, error: `${spec.provider} webhook: the payload is not JSON: ${(e as Error).message}` });
    return;
  }
  if (events.length === 0) { send(res, 200, { provider: spec.provider, ignored: 'the payload names no repository URL and ref' }); return; }
  await refresh(spec, events, res, opts);
}

/** Why the request is refused (401), or undefined when it is signed right or needs no signature. */
function refusalReason(spec: ProviderSpec, h: Headers, body: Buffer, secrets: WebhookSecrets): string | undefined {
  const { verdict, header } = verifyRequest(spec, h, body, secrets);
  if (verdict === 'missing') return `${header ?? ''} is missing`;
  if (verdict === 'mismatch') return `${header ?? ''} does not match the configured secret`;
  return undefined;
}

async function refresh(spec: ProviderSpec, events: readonly PushEvent[], res: ServerResponse, opts: WebhookHandlerOptions): Promise<void> {
  const matches = uniqueMatches(events, opts.applications());
  const pushes = events.map((ev) => ({ repository: redactUrl(ev.repoUrls[0] ?? ''), ref: ev.ref, revision: ev.revision }));
  const applications = matches.map((m) => m.key);
  opts.log.info('webhook push', { provider: spec.provider, pushes, applications });
  send(res, 200, { provider: spec.provider, pushes, applications });
  await Promise.all([...byRepository(matches).values()].map(async ({ url, keys }) => {
    try {
      await opts.repositoryPushed(url, keys);
    } catch (e) {
      opts.log.error('webhook refresh failed', { repo: redactUrl(url), applications: keys, error: (e as Error).message });
    }
  }));
}

/** The providers Fjord understands, for documentation and error messages. */
export const WEBHOOK_PROVIDERS = PROVIDERS.map((p) => p.provider);
