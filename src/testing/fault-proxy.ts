// A loopback HTTP proxy in front of a test cluster's API server, for tests of what clients do when the
// connection breaks: it can go down (open connections are cut, new ones refused), come back on the same
// port, and answer the next watch with the API server's own "resourceVersion expired" error. Everything
// else is passed through to the real API server unchanged.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { Server } from 'node:net';
import { LOOPBACK } from '../dev/net.js';
import type { ClusterAccess } from '../kube/kubeconfig.js';
import { SwitchableListener } from './switchable-listener.js';

const EXPIRED_EVENT = JSON.stringify({
  type: 'ERROR',
  object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (2)', reason: 'Expired', code: 410 },
});

export class FaultProxy extends SwitchableListener {
  private readonly upstreamAgent: Agent;
  private readonly upstream: URL;
  private expireWatches = 0;
  /** Every request seen so far, as `METHOD url`. */
  readonly requests: string[] = [];

  private constructor(private readonly target: ClusterAccess) {
    super();
    this.upstream = new URL(target.server);
    this.upstreamAgent = new Agent({
      ...(target.caPem ? { ca: target.caPem } : {}),
      ...(target.clientCertPem ? { cert: target.clientCertPem } : {}),
      ...(target.clientKeyPem ? { key: target.clientKeyPem } : {}),
      keepAlive: true,
    });
  }

  static async start(target: ClusterAccess): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    await proxy.listen(0);
    return proxy;
  }

  /** Access for a KubeClient that talks through this proxy (plain HTTP on loopback). */
  get access(): ClusterAccess {
    return { server: `http://${LOOPBACK}:${this.port}`, insecureSkipTlsVerify: false };
  }

  /** The next `count` watch requests get a 410 Expired ERROR event instead of reaching the API server. */
  expireNextWatches(count = 1): void {
    this.expireWatches += count;
  }

  async close(): Promise<void> {
    await this.down();
    this.upstreamAgent.destroy();
  }

  protected createServer(): Server {
    const server = createServer((req, res) => { this.handle(req, res); });
    server.on('connection', (s) => { this.track(s); });
    return server;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const isWatch = /[?&]watch=(1|true)\b/.test(req.url ?? '');
    this.requests.push(`${req.method ?? 'GET'} ${req.url ?? ''}`);
    if (isWatch && this.expireWatches > 0) {
      this.expireWatches--;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${EXPIRED_EVENT}\n`);
      return;
    }
    this.forward(req, res);
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const headers = { ...req.headers, host: this.upstream.host };
    delete headers.connection;
    if (this.target.token) headers.authorization = `Bearer ${this.target.token}`;
    const up = httpsRequest({
      host: this.upstream.hostname, port: this.upstream.port, path: req.url, method: req.method, headers, agent: this.upstreamAgent,
    }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => { res.destroy(); });
    res.on('close', () => { up.destroy(); });
    req.pipe(up);
  }
}
