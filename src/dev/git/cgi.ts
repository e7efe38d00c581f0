// Runs `git http-backend` as a CGI program for one HTTP request: the request becomes environment
// variables and stdin, the program's header block becomes the response status and headers.
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CgiOptions {
  readonly projectRoot: string;
  readonly remoteUser?: string;
}

function cgiEnv(req: IncomingMessage, url: URL, opts: CgiOptions): NodeJS.ProcessEnv {
  const h = req.headers;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: opts.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    // Pushing over HTTP is allowed: the server's own basic auth (or none, for the open variant) decides who may.
    GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.receivepack', GIT_CONFIG_VALUE_0: 'true',
    GIT_CONFIG_NOSYSTEM: '1', HOME: opts.projectRoot,
  };
  if (h['content-type']) env['CONTENT_TYPE'] = h['content-type'];
  if (h['content-length']) env['CONTENT_LENGTH'] = h['content-length'];
  if (h['content-encoding']) env['HTTP_CONTENT_ENCODING'] = h['content-encoding'];
  if (typeof h['git-protocol'] === 'string') env['GIT_PROTOCOL'] = h['git-protocol'];
  if (opts.remoteUser) env['REMOTE_USER'] = opts.remoteUser;
  return env;
}

/** Splits CGI output into its header block and body; undefined until the blank line has arrived. */
export function splitCgiHeaders(buf: Buffer): { status: number; headers: [string, string][]; body: Buffer } | undefined {
  let end = buf.indexOf('\r\n\r\n');
  let sep = 4;
  if (end < 0) { end = buf.indexOf('\n\n'); sep = 2; }
  if (end < 0) return undefined;
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of buf.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push([key, value]);
  }
  return { status, headers, body: buf.subarray(end + sep) };
}

export function runHttpBackend(req: IncomingMessage, res: ServerResponse, url: URL, opts: CgiOptions): void {
  const child = spawn('git', ['http-backend'], { env: cgiEnv(req, url, opts), stdio: ['pipe', 'pipe', 'pipe'] });
  let head: Buffer | undefined = Buffer.alloc(0);
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  child.stdout.on('data', (b: Buffer) => {
    if (head === undefined) { res.write(b); return; }
    head = Buffer.concat([head, b]);
    const parsed = splitCgiHeaders(head);
    if (!parsed) return;
    head = undefined;
    res.writeHead(parsed.status, parsed.headers);
    res.write(parsed.body);
  });
  child.on('close', (code) => {
    if (head !== undefined && !res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`git http-backend exited with ${String(code)}: ${stderr}`);
      return;
    }
    res.end();
  });
  child.on('error', (e) => { if (!res.headersSent) res.writeHead(500); res.end(e.message); });
  child.stdin.on('error', () => { /* the backend may stop reading early */ });
  req.pipe(child.stdin);
}
