// A real Git server over HTTP or HTTPS for tests and the demo: git http-backend behind Node's HTTP
// server on 127.0.0.1, optionally with basic auth. Clone, fetch, ls-remote and push all work.
import { timingSafeEqual } from 'node:crypto';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { LOOPBACK } from '../net.js';
import { runHttpBackend } from './cgi.js';

export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

export interface GitHttpServerOptions {
  /** Folder holding the bare repositories, e.g. <root>/org/repo.git. */
  readonly root: string;
  readonly auth?: BasicAuth;
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
  readonly host?: string;
  readonly port?: number;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function authorizedUser(req: IncomingMessage, auth: BasicAuth): string | undefined {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  const user = decoded.slice(0, i);
  return safeEqual(user, auth.username) && safeEqual(decoded.slice(i + 1), auth.password) ? user : undefined;
}

export class GitHttpServer {
  private constructor(private readonly server: Server, readonly baseUrl: string, readonly requests: { count: number }) {}

  static async start(opts: GitHttpServerOptions): Promise<GitHttpServer> {
    const requests = { count: 0 };
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      requests.count++;
      const url = new URL(req.url ?? '/', 'http://git.invalid');
      let remoteUser = 'anonymous';
      if (opts.auth) {
        const user = authorizedUser(req, opts.auth);
        if (!user) {
          res.writeHead(401, { 'www-authenticate': 'Basic realm="fjord-git"', 'content-type': 'text/plain' });
          res.end('authentication required\n');
          return;
        }
        remoteUser = user;
      }
      runHttpBackend(req, res, url, { projectRoot: opts.root, remoteUser });
    };
    const server = opts.tls ? createHttps({ cert: opts.tls.certPem, key: opts.tls.keyPem }, handler) : createHttp(handler);
    const host = opts.host ?? LOOPBACK;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, resolve);
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    return new GitHttpServer(server, `${opts.tls ? 'https' : 'http'}://${host}:${port}`, requests);
  }

  /** The clone URL of a repository path such as `org/repo.git`. */
  url(repoPath: string): string {
    return `${this.baseUrl}/${repoPath}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => { resolve(); }));
  }
}
