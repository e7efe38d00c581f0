// The two requests an informer is made of: a paged LIST (limit + continue) that yields a consistent
// snapshot and its resourceVersion, and a WATCH whose newline-delimited JSON events are read as they
// arrive.
import { KubeApiError, type KubeClient, type KubeObject, type RequestOptions } from './client.js';
import { readLines } from './lines.js';

export type Query = NonNullable<RequestOptions['query']>;

export interface ListResult {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
}

export interface RawWatchEvent {
  readonly type: string;
  readonly object: KubeObject;
}

interface ListBody {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

interface StatusObject { code?: number; reason?: string; message?: string }

/** 410 Gone: the resourceVersion (or continue token) is older than what the API server keeps. */
export function isExpired(e: unknown): boolean {
  return e instanceof KubeApiError && (e.status === 410 || e.reason === 'Expired' || e.reason === 'Gone');
}

/** List items come without apiVersion and kind; give them the ones of the list, as watch events have. */
function withTypeMeta(page: ListBody): KubeObject[] {
  const items = page.items ?? [];
  const kind = page.kind?.replace(/List$/, '');
  const apiVersion = page.apiVersion;
  if (!kind || !apiVersion) return items;
  return items.map((o) => (o.kind && o.apiVersion ? o : { ...o, apiVersion, kind }));
}

/**
 * Lists a whole collection, `pageSize` objects per request. When a continue token expires midway (the
 * list took longer than the API server keeps history), lists again in one unpaged request.
 */
export async function listAll(kube: KubeClient, path: string, query: Query, opts: { pageSize: number; signal: AbortSignal }): Promise<ListResult> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  for (;;) {
    let page: ListBody;
    try {
      page = await kube.get<ListBody>(path, { query: { ...query, limit: opts.pageSize || undefined, continue: token }, signal: opts.signal, timeoutMs: 60_000 });
    } catch (e) {
      if (token === undefined || !isExpired(e)) throw e;
      return listAll(kube, path, query, { ...opts, pageSize: 0 });
    }
    items.push(...withTypeMeta(page));
    token = page.metadata?.continue || undefined;
    if (token === undefined) return { items, resourceVersion: page.metadata?.resourceVersion ?? '' };
  }
}

function parseEvent(line: string, path: string): RawWatchEvent {
  let ev: { type?: unknown; object?: unknown };
  try {
    ev = JSON.parse(line) as { type?: unknown; object?: unknown };
  } catch (cause) {
    throw new Error(`watch ${path}: cannot parse an event: ${line.slice(0, 200)}`, { cause });
  }
  if (typeof ev.type !== 'string' || typeof ev.object !== 'object' || ev.object === null) throw new Error(`watch ${path}: malformed event: ${line.slice(0, 200)}`);
  return ev as RawWatchEvent;
}

/** The API server's error inside a watch stream (an ERROR event's Status object) as a KubeApiError. */
export function watchError(path: string, object: KubeObject): KubeApiError {
  const s = object as StatusObject;
  const code = s.code ?? 500;
  const reason = s.reason ?? String(code);
  return new KubeApiError(`watch ${path}: ${reason} (${code}): ${s.message ?? 'no message'}`, code, reason);
}

/**
 * The events of one WATCH request until the API server ends it (after `timeoutSeconds`). The
 * connection is dropped when the caller stops early or `signal` aborts.
 */
export async function* watchEvents(kube: KubeClient, path: string, query: Query, opts: { signal: AbortSignal; idleTimeoutMs: number }): AsyncGenerator<RawWatchEvent, void, undefined> {
  const body = await kube.stream(path, { query: { ...query, watch: 1 }, signal: opts.signal, idleTimeoutMs: opts.idleTimeoutMs });
  const lines = readLines(body)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<string>;
      try {
        next = await lines.next();
      } catch (cause) {
        throw new Error(`watch ${path}: reading the event stream failed: ${(cause as Error).message}`, { cause });
      }
      if (next.done) return;
      yield parseEvent(next.value, path);
    }
  } finally {
    body.destroy();
  }
}
