// A typed HTTP client for Fjord's JSON API (docs/api.md): bearer token, one undici Agent per client,
// errors that carry the server's `error` text and status, and the application stream as an async
// iterator of events.
import { Agent, request, type Dispatcher } from 'undici';
import { ApiError, ConnectionError, connectReason, serverErrorText } from './errors.js';
import { readEvents } from './sse.js';
import type {
  Application, ApplicationEvent, ApplicationList, ListQuery, ManagedResource, RevisionMetadata, RollbackRequest, SyncRequest, UserInfo,
} from './types.js';

export interface ApiClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8080 (a trailing slash is ignored). */
  readonly server: string;
  readonly token?: string;
  /** Per-request timeout for headers and body, ms (streams have no body timeout). Default 30 s. */
  readonly timeoutMs?: number;
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

interface Call {
  readonly method: Dispatcher.HttpMethod;
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  readonly stream?: boolean;
}

export class FjordApiClient {
  readonly server: string;
  private readonly agent: Agent;

  constructor(private readonly opts: ApiClientOptions) {
    this.server = opts.server.replace(/\/+$/, '');
    const timeout = opts.timeoutMs ?? 30_000;
    this.agent = new Agent({ headersTimeout: timeout, bodyTimeout: timeout, connectTimeout: Math.min(timeout, 10_000) });
  }

  /** Closes every connection, open streams included (a graceful close would wait for them forever). */
  async close(): Promise<void> {
    await this.agent.destroy();
  }

  listApplications(q: ListQuery = {}): Promise<ApplicationList> {
    return this.json('GET', '/api/v1/applications', { query: { ...q } });
  }

  /** Every page of the list, following `continue`. */
  async listAllApplications(q: ListQuery = {}): Promise<Application[]> {
    const items: Application[] = [];
    let next: string | undefined;
    do {
      const page = await this.listApplications({ ...q, ...(next ? { continue: next } : {}) });
      items.push(...page.items);
      next = page.metadata.continue;
    } while (next);
    return items;
  }

  getApplication(name: string, refresh?: 'normal' | 'hard'): Promise<Application> {
    return this.json('GET', `/api/v1/applications/${enc(name)}`, { query: { refresh } });
  }

  async managedResources(name: string): Promise<ManagedResource[]> {
    return (await this.json<{ items: ManagedResource[] }>('GET', `/api/v1/applications/${enc(name)}/managed-resources`)).items;
  }

  revisionMetadata(name: string, revision: string): Promise<RevisionMetadata> {
    return this.json('GET', `/api/v1/applications/${enc(name)}/revisions/${enc(revision)}/metadata`);
  }

  sync(name: string, body: SyncRequest): Promise<Application> {
    return this.json('POST', `/api/v1/applications/${enc(name)}/sync`, { body });
  }

  rollback(name: string, body: RollbackRequest): Promise<Application> {
    return this.json('POST', `/api/v1/applications/${enc(name)}/rollback`, { body });
  }

  async terminateOperation(name: string): Promise<void> {
    await this.json('DELETE', `/api/v1/applications/${enc(name)}/operation`);
  }

  async deleteApplication(name: string, cascade: boolean): Promise<void> {
    await this.json('DELETE', `/api/v1/applications/${enc(name)}`, { query: { cascade } });
  }

  userInfo(): Promise<UserInfo> {
    return this.json('GET', '/api/v1/session/userinfo');
  }

  /**
   * Opens the application stream (server-sent events), limited to `name` when given, and returns its
   * events once the server has answered; the stream ends when the server closes it or `signal` aborts.
   */
  async watchApplications(name: string | undefined, signal: AbortSignal): Promise<AsyncGenerator<ApplicationEvent>> {
    const res = await this.send({ method: 'GET', path: '/api/v1/stream/applications', query: { name }, signal, stream: true });
    res.body.on('error', () => undefined); // the abort that ends a stream nobody reads any more is expected
    return applicationEvents(res.body);
  }

  private async json<T>(method: Dispatcher.HttpMethod, path: string, extra: Omit<Call, 'method' | 'path'> = {}): Promise<T> {
    const res = await this.send({ method, path, ...extra });
    const text = await res.body.text();
    return (text ? JSON.parse(text) : {}) as T;
  }

  private async send(call: Call): Promise<Dispatcher.ResponseData> {
    const url = `${this.server}${call.path}${queryString(call.query)}`;
    const headers: Record<string, string> = { accept: call.stream ? 'text/event-stream' : 'application/json' };
    if (this.opts.token) headers['authorization'] = `Bearer ${this.opts.token}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: call.method, headers, dispatcher: this.agent,
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
        ...(call.stream ? { bodyTimeout: 0 } : {}),
      });
    } catch (e) {
      const reason = connectReason(e);
      if (reason) throw new ConnectionError(this.server, reason, { cause: e });
      throw new Error(`${call.method} ${this.server}${call.path}`, { cause: e });
    }
    if (res.statusCode >= 400) throw new ApiError(res.statusCode, serverErrorText(await res.body.text()), call.method, call.path);
    return res;
  }
}

async function* applicationEvents(body: AsyncIterable<Buffer | string>): AsyncGenerator<ApplicationEvent> {
  for await (const data of readEvents(body)) {
    const parsed = JSON.parse(data) as { result?: ApplicationEvent };
    if (parsed.result) yield parsed.result;
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** `?a=1&b=x&b=y` for the defined values (arrays repeat the key); '' when there are none. */
export function queryString(q: Query | undefined): string {
  if (!q) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v as readonly string[]) params.append(k, x);
    else params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
