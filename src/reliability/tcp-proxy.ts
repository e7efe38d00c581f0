// A loopback TCP proxy in front of any server (here: the Git server) for outage tests: down() cuts open
// connections and refuses new ones (the port is closed), up() listens again on the same port, and
// slow(ms) holds every chunk in both directions for `ms` before passing it on. Counts what it did.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { LOOPBACK } from '../dev/net.js';
import { SwitchableListener } from '../testing/switchable-listener.js';

export class TcpProxy extends SwitchableListener {
  private delayMs = 0;
  /** Connections accepted and chunks held back by slow(). */
  readonly counts = { connections: 0, delayedChunks: 0 };

  private constructor(private readonly targetPort: number) {
    super();
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await proxy.listen(0);
    return proxy;
  }

  /** `http://127.0.0.1:<port>` followed by `path`. */
  url(path: string): string {
    return `http://${LOOPBACK}:${this.port}/${path}`;
  }

  slow(ms: number): void {
    this.delayMs = ms;
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
      this.track(s);
      s.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  protected createServer(): Server {
    return createServer((s) => { this.accept(s); });
  }
}
