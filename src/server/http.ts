// `fjord run`'s HTTP port (127.0.0.1 by default). Requests go through a chain of routes, each owned
// by the role that serves it (health, Sealed Secrets' kubeseal paths, the JSON API, webhooks,
// metrics, the web UI); the first route that answers wins, and an unknown path is a 404.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Answers a request and returns true, or returns false to let the next route try. */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  /** Routes in order; health (`/healthz`, `/readyz`) is always served first. */
  readonly routes?: readonly Route[];
  /** Reports a route that threw (the client gets a 500 without the details). */
  readonly onError?: (err: unknown, req: IncomingMessage) => void;
}

const health: Route = (req, res, url) => {
  if (url.pathname !== '/healthz' && url.pathname !== '/readyz') return false;
  res.writeHead(200, { 'content-type': 'text/plain' }).end(req.method === 'HEAD' ? undefined : 'ok\n');
  return true;
};

async function dispatch(routes: readonly Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fjord.invalid');
  for (const route of routes) {
    if (await route(req, res, url)) return;
  }
  res.writeHead(404, { 'content-type': 'application/json' }).end(`${JSON.stringify({ error: `${url.pathname}: not found`, code: 404 })}\n`);
}

export class FjordHttpServer {
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(opts: HttpServerOptions): Promise<FjordHttpServer> {
    const routes = [health, ...(opts.routes ?? [])];
    const server = createServer((req, res) => {
      dispatch(routes, req, res).catch((e: unknown) => {
        opts.onError?.(e, req);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(`${JSON.stringify({ error: 'internal error (see the server log)', code: 500 })}\n`);
      });
    });
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(opts.port, opts.host, resolve); });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : opts.port;
    return new FjordHttpServer(server, `http://${opts.host}:${port}`);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => { resolve(); }));
  }
}
