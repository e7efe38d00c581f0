// The part the test proxies share: a server on a loopback port that can go down (open connections
// cut, the port closed) and come back on the same port. Subclasses say what server to run.
import type { Server, Socket } from 'node:net';
import { LOOPBACK } from '../dev/net.js';

export abstract class SwitchableListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private listenPort = 0;

  /** A new server for each time the listener comes up. */
  protected abstract createServer(): Server;

  get port(): number {
    return this.listenPort;
  }

  /** Remembers a connection so that down() cuts it. */
  protected track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => { this.sockets.delete(s); });
  }

  /** Cuts every open connection and refuses new ones until up(). */
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

  protected listen(port: number): Promise<void> {
    const server = this.createServer();
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
