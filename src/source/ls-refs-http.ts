// `git ls-remote` for http(s) repositories without spawning git: Git's smart HTTP protocol version 2
// (gitprotocol-http, gitprotocol-v2) `ls-refs` command over undici, one keep-alive pool per TLS
// setting. A spawn of git from a large Node process blocks the event loop for milliseconds (fork);
// polling many repositories every few seconds made that a real share of a core.
//
// Answers it is sure of are returned or thrown as SourceError (auth, repository not found, TLS,
// unreachable, timeout) in the CLI path's message shape; anything else (a v0 or dumb server, no
// ls-refs, a malformed pkt-line, a cross-origin redirect, a proxy in the environment) returns
// undefined, and the caller asks the git CLI instead.
import { createHash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { Agent, request, type Dispatcher } from 'undici';
import type { RepoCredentials } from './credentials.js';
import { FULL_SHA } from './refs.js';
import { gitFacingUrl, normalizeRepoUrl, parseRepoUrl, redactUrl, redactUrlsIn } from './repo-url.js';
import { SourceError, type SourceFailure } from './source-error.js';

export type PktLine = { readonly kind: 'data'; readonly text: string } | { readonly kind: 'flush' | 'delim' | 'end' };

export interface LsRef {
  readonly name: string;
  readonly oid: string;
  readonly symrefTarget?: string;
  /** The object an annotated tag points to. */
  readonly peeled?: string;
}

/** The server's answer was not what this client understands: the git CLI should be asked instead. */
export class LsRefsFallback extends Error {
  override readonly name = 'LsRefsFallback';
}

const SERVICE = 'git-upload-pack';
const INFO_REFS_TAIL = `/info/refs?service=${SERVICE}`;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REMEMBERED = 1_000;
const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'];
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;

/** Splits a body into pkt-lines (gitprotocol-common): 4 hex digits of length (header included), then data. */
export function parsePktLines(buf: Buffer): PktLine[] {
  const lines: PktLine[] = [];
  const specials: Record<number, PktLine> = { 0: { kind: 'flush' }, 1: { kind: 'delim' }, 2: { kind: 'end' } };
  for (let i = 0; i < buf.length;) {
    const hex = buf.toString('latin1', i, i + 4);
    if (!/^[0-9a-f]{4}$/i.test(hex)) throw new LsRefsFallback(`malformed pkt-line length "${hex}" at byte ${i}`);
    const len = Number.parseInt(hex, 16);
    const special = specials[len];
    if (special) { lines.push(special); i += 4; continue; }
    if (len < 4 || i + len > buf.length) throw new LsRefsFallback(`pkt-line of length ${len} at byte ${i} does not fit the ${buf.length}-byte body`);
    lines.push({ kind: 'data', text: buf.toString('utf8', i + 4, i + len).replace(/\n$/, '') });
    i += len;
  }
  return lines;
}

function pkt(text: string): string {
  return `${(Buffer.byteLength(text) + 4).toString(16).padStart(4, '0')}${text}`;
}

/** The capabilities of a v2 advertisement (`# service=` preamble allowed), or a fallback for anything else. */
export function parseCapabilities(lines: readonly PktLine[]): Map<string, string> {
  let rest = lines;
  const first = rest[0];
  if (first?.kind === 'data' && first.text === `# service=${SERVICE}`) {
    if (rest[1]?.kind !== 'flush') throw new LsRefsFallback('no flush after the service line');
    rest = rest.slice(2);
  }
  const version = rest[0];
  if (version?.kind !== 'data' || version.text !== 'version 2') throw new LsRefsFallback('the server does not speak protocol v2');
  const caps = new Map<string, string>();
  for (const line of rest.slice(1)) {
    if (line.kind === 'flush') return caps;
    if (line.kind !== 'data') throw new LsRefsFallback(`unexpected ${line.kind} packet in the capabilities`);
    const eq = line.text.indexOf('=');
    caps.set(eq < 0 ? line.text : line.text.slice(0, eq), eq < 0 ? '' : line.text.slice(eq + 1));
  }
  throw new LsRefsFallback('the capability advertisement does not end with a flush');
}

function parseRefLine(text: string): LsRef {
  const [oid = '', name = '', ...attrs] = text.split(' ');
  if (!FULL_SHA.test(oid) || name === '') throw new LsRefsFallback(`malformed ls-refs line "${text.slice(0, 200)}"`);
  let ref: LsRef = { name, oid: oid.toLowerCase() };
  for (const attr of attrs) {
    if (attr.startsWith('symref-target:')) ref = { ...ref, symrefTarget: attr.slice('symref-target:'.length) };
    else if (attr.startsWith('peeled:')) {
      const peeled = attr.slice('peeled:'.length);
      if (!FULL_SHA.test(peeled)) throw new LsRefsFallback(`malformed peeled object in "${text.slice(0, 200)}"`);
      ref = { ...ref, peeled: peeled.toLowerCase() };
    }
  }
  return ref;
}

/** The refs of an ls-refs response: data lines ended by a flush (an `ERR` line or no flush is a fallback). */
export function parseLsRefs(lines: readonly PktLine[]): LsRef[] {
  const refs: LsRef[] = [];
  for (const line of lines) {
    if (line.kind === 'flush') return refs;
    if (line.kind !== 'data') throw new LsRefsFallback(`unexpected ${line.kind} packet in the ls-refs response`);
    if (line.text.startsWith('ERR ')) throw new LsRefsFallback('the server answered ls-refs with an error');
    refs.push(parseRefLine(line.text));
  }
  throw new LsRefsFallback('the ls-refs response does not end with a flush');
}

/** Ref → commit as `parseLsRemote` gives it: annotated tags map to the object they peel to. */
export function refMap(refs: readonly LsRef[]): Map<string, string> {
  return new Map(refs.map((r) => [r.name, r.peeled ?? r.oid]));
}

/** The body of an ls-refs request for every ref (as `git ls-remote` without patterns), peeled, with symrefs. */
export function lsRefsRequest(objectFormat: string | undefined): Buffer {
  const format = objectFormat === undefined ? '' : pkt(`object-format=${objectFormat}\n`);
  return Buffer.from(`${pkt('command=ls-refs\n')}${format}0001${pkt('peel\n')}${pkt('symrefs\n')}0000`);
}

export interface LsRefsHttpOptions {
  /** For the whole ls-remote, as the CLI path's process timeout. */
  readonly timeoutMs: number;
  readonly onRemote?: (op: string, repo: string, seconds: number, ok: boolean) => void;
  /** Where proxy variables are looked up (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

interface Answer { readonly status: number; readonly type: string; readonly data: Buffer; readonly location?: string }

interface Call {
  readonly url: string;
  readonly key: string;
  base: string;
  readonly authorization: string | undefined;
  readonly dispatcher: Dispatcher;
  readonly signal: AbortSignal;
}

function basicAuthorization(url: string, creds: RepoCredentials): string | undefined {
  const parsed = parseRepoUrl(url);
  const username = creds.username ?? parsed?.username ?? '';
  const password = creds.password ?? parsed?.password ?? '';
  if (username === '' && password === '') return undefined;
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function failure(call: Call, reason: SourceFailure, description: string, detail: string, causeMessage?: string): SourceError {
  const options = causeMessage === undefined ? undefined : { cause: new Error(redactUrlsIn(causeMessage)) };
  return new SourceError(`git ls-remote ${redactUrl(call.url)}: ${description} (${redactUrlsIn(detail)})`, reason, options);
}

export class LsRefsHttp {
  private readonly agents = new Map<string, Agent>();
  /** Repositories that answered 401 without credentials: later calls send them at once. */
  private readonly needsAuth = new Set<string>();

  constructor(private readonly opts: LsRefsHttpOptions) {}

  /** Ref → sha as `git ls-remote` reports it, or undefined when the git CLI should answer instead. */
  async lsRemote(url: string, creds: RepoCredentials = {}): Promise<Map<string, string> | undefined> {
    const refs = await this.refs(url, creds);
    return refs && refMap(refs);
  }

  /** Every ref with its symref target and peeled object, or undefined when the git CLI should answer instead. */
  async refs(url: string, creds: RepoCredentials = {}): Promise<LsRef[] | undefined> {
    const kind = parseRepoUrl(url)?.kind;
    if ((kind !== 'http' && kind !== 'https') || this.proxyConfigured() || /[?#]/.test(gitFacingUrl(url))) return undefined;
    const started = performance.now();
    let outcome: 'ok' | 'failed' | 'fallback' = 'failed';
    try {
      const refs = await this.run(url, creds);
      outcome = 'ok';
      return refs;
    } catch (err) {
      if (!(err instanceof LsRefsFallback)) throw err;
      outcome = 'fallback';
      return undefined;
    } finally {
      // A fallback is observed by the CLI call that follows it.
      if (outcome !== 'fallback') this.opts.onRemote?.('ls-remote', redactUrl(normalizeRepoUrl(url)), (performance.now() - started) / 1000, outcome === 'ok');
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close()));
    this.agents.clear();
  }

  private proxyConfigured(): boolean {
    const env = this.opts.env ?? process.env;
    return PROXY_VARS.some((v) => (env[v] ?? '') !== '');
  }

  private async run(url: string, creds: RepoCredentials): Promise<LsRef[]> {
    const key = normalizeRepoUrl(url);
    const call: Call = {
      url, key, base: gitFacingUrl(url).replace(/\/+$/, ''), authorization: basicAuthorization(url, creds),
      dispatcher: this.agent(creds), signal: AbortSignal.timeout(this.opts.timeoutMs),
    };
    const caps = parseCapabilities(parsePktLines(await this.advertisement(call)));
    if (!caps.has('ls-refs')) throw new LsRefsFallback('the server does not offer ls-refs');
    const format = caps.get('object-format');
    if (format !== undefined && format !== 'sha1') throw new LsRefsFallback(`object format ${format}`);
    const body = await this.send(call, 'POST', `${call.base}/${SERVICE}`, lsRefsRequest(format));
    if (body.status !== 200 || body.type !== `application/x-${SERVICE}-result`) throw new LsRefsFallback(`POST answered ${body.status} ${body.type}`);
    return parseLsRefs(parsePktLines(body.data));
  }

  /** GET info/refs, following same-origin redirects of the whole base as git does for its first request. */
  private async advertisement(call: Call): Promise<Buffer> {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const target = `${call.base}${INFO_REFS_TAIL}`;
      const res = await this.send(call, 'GET', target);
      if (res.location === undefined) {
        if (res.status === 404) throw failure(call, 'repo-not-found', 'repository not found', `repository '${call.base}/' not found`);
        if (res.status !== 200 || res.type !== `application/x-${SERVICE}-advertisement`) throw new LsRefsFallback(`GET answered ${res.status} ${res.type}`);
        return res.data;
      }
      const next = new URL(res.location, target);
      if (next.origin !== new URL(target).origin) throw new LsRefsFallback('redirect to another origin');
      const href = next.toString();
      if (!href.endsWith(INFO_REFS_TAIL)) throw new LsRefsFallback('redirect to an unexpected path');
      call.base = href.slice(0, -INFO_REFS_TAIL.length);
    }
    throw new LsRefsFallback('too many redirects');
  }

  /** One request; a 401 without credentials sent is retried with them (as git does), 401/403 then is "auth". */
  private async send(call: Call, method: 'GET' | 'POST', url: string, body?: Buffer): Promise<Answer> {
    const withAuth = call.authorization !== undefined && this.needsAuth.has(call.key);
    const res = await this.request(call, method, url, withAuth, body);
    if (res.status === 401 && !withAuth && call.authorization !== undefined) {
      this.remember(call.key);
      return this.send(call, method, url, body);
    }
    if (res.status === 401 || res.status === 403) {
      const why = call.authorization === undefined ? 'no credentials given' : 'the credentials were refused';
      throw failure(call, 'auth', 'authentication failed', `HTTP ${res.status} from ${redactUrl(url)}: ${why}`);
    }
    return res;
  }

  /** Sends and reads the answer (the body only of a 200); transport errors become SourceErrors or a fallback. */
  private async request(call: Call, method: 'GET' | 'POST', url: string, withAuth: boolean, body?: Buffer): Promise<Answer> {
    const headers: Record<string, string> = {
      'git-protocol': 'version=2', 'user-agent': 'git/2.0 (fjord)', pragma: 'no-cache', 'cache-control': 'no-cache',
      ...(withAuth && call.authorization !== undefined ? { authorization: call.authorization } : {}),
      ...(body ? { 'content-type': `application/x-${SERVICE}-request`, accept: `application/x-${SERVICE}-result` } : {}),
    };
    try {
      const res = await request(url, {
        method, headers, body: body ?? null, dispatcher: call.dispatcher, signal: call.signal,
        headersTimeout: this.opts.timeoutMs, bodyTimeout: this.opts.timeoutMs,
      });
      const location = method === 'GET' && REDIRECTS.has(res.statusCode) ? header(res, 'location') : undefined;
      const encoded = header(res, 'content-encoding') !== undefined;
      const data = res.statusCode === 200 && !encoded ? await readBody(res) : (await res.body.dump(), Buffer.alloc(0));
      if (encoded) throw new LsRefsFallback('encoded response');
      return { status: res.statusCode, type: header(res, 'content-type') ?? '', data, ...(location !== undefined ? { location } : {}) };
    } catch (err) {
      if (err instanceof LsRefsFallback) throw err;
      throw this.transportFailure(call, err);
    }
  }

  private transportFailure(call: Call, err: unknown): Error {
    if (call.signal.aborted) return failure(call, 'timeout', 'timed out', `timed out after ${this.opts.timeoutMs} ms`);
    const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = e.code ?? '';
    const causeCode = e.cause?.code ?? '';
    if (UNREACHABLE_CODES.has(code) || UNREACHABLE_CODES.has(causeCode)) return failure(call, 'unreachable', 'host unreachable', e.message ?? code, e.message ?? code);
    if (TLS_CODE.test(code) || TLS_CODE.test(causeCode)) return failure(call, 'tls', 'TLS certificate verification failed', e.message ?? code, e.message ?? code);
    return new LsRefsFallback(`request failed (${code || causeCode || 'no code'})`);
  }

  private remember(key: string): void {
    if (this.needsAuth.size >= MAX_REMEMBERED) this.needsAuth.delete(this.needsAuth.values().next().value ?? '');
    this.needsAuth.add(key);
  }

  /** One pool per TLS setting (undici keeps one keep-alive pool per origin inside each). */
  private agent(creds: RepoCredentials): Agent {
    const ca = creds.caPem ?? '';
    const key = creds.insecure === true ? 'insecure' : ca === '' ? 'system' : `ca:${createHash('sha256').update(ca).digest('hex')}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const oldest = this.agents.keys().next().value;
      if (this.agents.size >= 32 && oldest !== undefined) {
        void this.agents.get(oldest)?.close();
        this.agents.delete(oldest);
      }
      const tls = creds.insecure === true ? { rejectUnauthorized: false } : ca === '' ? {} : { ca: [ca, ...rootCertificates] };
      agent = new Agent({ connect: { ...tls, timeout: Math.min(this.opts.timeoutMs, 20_000) }, keepAliveTimeout: 30_000, connections: 8 });
      this.agents.set(key, agent);
    }
    return agent;
  }
}

function header(res: Dispatcher.ResponseData, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(res: Dispatcher.ResponseData): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) { res.body.destroy(); throw new LsRefsFallback(`response larger than ${MAX_BODY_BYTES} bytes`); }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
