// A loopback TCP proxy in front of any server (here: the Git server) for outage tests: down() cuts open
// connections and refuses new ones (the port is closed), up() listens again on the same port, and
// slow(ms) holds every chunk in both directions for `ms` before passing it on. Counts what it did.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { LOOPBACK } from '../dev/net.js';

export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private delayMs = 0;
  private listenPort = 0;
  /** Connections accepted and chunks held back by slow(). */
  readonly counts = { connections: 0, delayedChunks: 0 };

  private constructor(private readonly targetPort: number) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await proxy.listen(0);
    return proxy;
  }

  get port(): number {
    return this.listenPort;
  }

  /** `http://127.0.0.1:<port>` followed by `path`. */
  url(path: string): string {
    return `http://${LOOPBACK}:${this.port}/${path}`;
  }

  slow(ms: number): void {
    this.delayMs = ms;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  async up(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.down();
  }

  private pipe(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (this.delayMs === 0) { to.write(chunk); return; }
      this.counts.delayedChunks++;
      from.pause();
      setTimeout(() => { if (!to.destroyed) to.write(chunk); from.resume(); }, this.delayMs);
    });
    from.on('end', () => { setTimeout(() => { to.end(); }, this.delayMs); });
  }

  private accept(client: Socket): void {
    this.counts.connections++;
    const upstream = connect(this.targetPort, LOOPBACK);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => { this.sockets.delete(s); });
      s.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  private listen(port: number): Promise<void> {
    const server = createServer((s) => { this.accept(s); });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, LOOPBACK, () => {
        const addr = server.address();
        this.listenPort = typeof addr === 'object' && addr ? addr.port : port;
        resolve();
      });
    });
  }
}
