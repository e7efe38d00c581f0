// `fjord run`'s HTTP port (127.0.0.1 by default): health, and the Sealed Secrets certificate at the
// path kubeseal uses (`/v1/cert.pem`), so `kubeseal --cert http://HOST:PORT/v1/cert.pem` works when
// Fjord runs outside the cluster. The JSON API and UI will be served here too (issue 5).
import { createServer, type Server } from 'node:http';

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  /** The current sealing certificate, when the sealed-secrets role runs. */
  readonly certificatePem?: () => string;
}

export class FjordHttpServer {
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(opts: HttpServerOptions): Promise<FjordHttpServer> {
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://fjord.invalid').pathname;
      if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET, HEAD' }).end(); return; }
      if (path === '/healthz' || path === '/readyz') { res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n'); return; }
      if (path === '/v1/cert.pem' && opts.certificatePem) {
        res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(opts.certificatePem());
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`${path}: not found\n`);
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
