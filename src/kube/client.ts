// A thin raw-JSON client for the Kubernetes API: one long-lived connection pool per cluster, manifests
// sent byte for byte (no typed models that drop unknown fields), errors that name the request and the
// API server's reason. See docs/adr/0002-raw-json-kube-client.md.
import { Agent, request, type Dispatcher } from 'undici';
import { loadKubeconfig, type ClusterAccess } from './kubeconfig.js';

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
};

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly contentType?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Extra request headers (an `accept` here replaces the default JSON one). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface StreamOptions {
  readonly query?: RequestOptions['query'];
  readonly signal?: AbortSignal;
  /** Fail when no bytes arrive for this long (a silently dead connection); 0 = never. */
  readonly idleTimeoutMs?: number;
}

/** A streamed response body: chunks of bytes as they arrive. Destroy it to drop the connection early. */
export type ResponseStream = Dispatcher.ResponseData['body'];

export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'KubeApiError';
  }
}

interface StatusBody { kind?: string; reason?: string; message?: string }

function queryString(q: RequestOptions['query']): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

function apiError(method: string, path: string, statusCode: number, text: string): KubeApiError {
  let status: StatusBody = {};
  try { status = JSON.parse(text) as StatusBody; } catch { /* not JSON: keep the text */ }
  const reason = status.reason ?? String(statusCode);
  return new KubeApiError(`${method} ${path}: ${reason} (${statusCode}): ${status.message ?? text.slice(0, 300)}`, statusCode, reason);
}

export class KubeClient {
  private readonly dispatcher: Dispatcher;
  private readonly headers: Record<string, string>;

  constructor(readonly access: ClusterAccess) {
    this.dispatcher = new Agent({
      connect: {
        ...(access.caPem ? { ca: access.caPem } : {}),
        ...(access.clientCertPem ? { cert: access.clientCertPem } : {}),
        ...(access.clientKeyPem ? { key: access.clientKeyPem } : {}),
        rejectUnauthorized: !access.insecureSkipTlsVerify,
      },
      keepAliveTimeout: 30_000,
      connections: 32,
    });
    this.headers = { accept: 'application/json' };
    if (access.token) this.headers['authorization'] = `Bearer ${access.token}`;
    else if (access.basicAuth) this.headers['authorization'] = `Basic ${Buffer.from(`${access.basicAuth.username}:${access.basicAuth.password}`).toString('base64')}`;
  }

  static fromKubeconfig(file: string, context?: string): KubeClient {
    return new KubeClient(loadKubeconfig(file, context));
  }

  get server(): string {
    return this.access.server;
  }

  /** Sends one request; resolves with the parsed JSON body (or the text of a non-JSON one), rejects with a KubeApiError for any non-2xx answer. */
  async request<T = KubeObject>(method: Dispatcher.HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = `${this.access.server}${path}${queryString(opts.query)}`;
    const headers = { ...this.headers, ...opts.headers };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] = opts.contentType ?? 'application/json';
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method, headers, body: body ?? null, dispatcher: this.dispatcher,
        headersTimeout: opts.timeoutMs ?? 30_000, bodyTimeout: opts.timeoutMs ?? 30_000,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (cause) {
      throw this.unreachable(method, path, cause);
    }
    const text = await res.body.text();
    if (res.statusCode >= 200 && res.statusCode < 300) {
      const json = String(res.headers['content-type'] ?? '').includes('json');
      return (json && text ? JSON.parse(text) : json ? {} : text) as T;
    }
    throw apiError(method, path, res.statusCode, text);
  }

  /**
   * A GET whose body is handed over as a stream (for watches) instead of being read whole. Rejects
   * with a KubeApiError for a non-2xx answer. The caller must consume or destroy the stream.
   */
  async stream(path: string, opts: StreamOptions = {}): Promise<ResponseStream> {
    const url = `${this.access.server}${path}${queryString(opts.query)}`;
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: 'GET', headers: this.headers, dispatcher: this.dispatcher,
        headersTimeout: 30_000, bodyTimeout: opts.idleTimeoutMs ?? 0,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (cause) {
      throw this.unreachable('GET', path, cause);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res.body;
    throw apiError('GET', path, res.statusCode, await res.body.text());
  }

  private unreachable(method: string, path: string, cause: unknown): KubeApiError {
    const msg = cause instanceof Error ? cause.message : String(cause);
    return new KubeApiError(`${method} ${path}: cannot reach the API server at ${this.access.server}: ${msg}`, 0, 'Unreachable', { cause });
  }

  get<T = KubeObject>(path: string, opts?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, opts);
  }

  /** GET that resolves to undefined on 404. */
  async getOrUndefined<T = KubeObject>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  create<T = KubeObject>(collectionPath: string, obj: KubeObject): Promise<T> {
    return this.request<T>('POST', collectionPath, { body: obj });
  }

  /** Server-side apply of one object at its resource path. */
  apply<T = KubeObject>(path: string, obj: KubeObject, opts: { fieldManager: string; force?: boolean; dryRun?: boolean }): Promise<T> {
    return this.request<T>('PATCH', path, {
      body: obj,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: opts.fieldManager, force: opts.force ?? true, dryRun: opts.dryRun ? 'All' : undefined },
    });
  }

  /** DELETE that treats an already-gone object as deleted. */
  async delete(path: string, propagationPolicy: 'Foreground' | 'Background' | 'Orphan' = 'Background'): Promise<void> {
    try {
      await this.request('DELETE', path, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy } });
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return;
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
