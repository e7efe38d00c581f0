// Live updates: GET /api/v1/stream/applications as server-sent events. Each change the server's
// Application watch sees goes to every subscriber allowed to see that Application (filtered by
// `name` and `project` when asked). A slow client whose socket buffer fills up is dropped rather than
// buffered without bound.
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../../kube/client.js';
import type { WatchEventType } from '../../kube/watch.js';
import type { ApiContext } from './context.js';
import { projectOfApp } from './context.js';
import { canSee } from './app-list.js';
import { withoutManagedFields } from './http-util.js';
import type { Request } from './router.js';

interface Subscriber {
  readonly res: ServerResponse;
  readonly wants: (app: KubeObject) => boolean;
}

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export class AppEventHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly ping: NodeJS.Timeout;

  constructor(pingMs = 15_000) {
    this.ping = setInterval(() => { for (const s of this.subscribers) s.res.write(': ping\n\n'); }, pingMs);
    this.ping.unref();
  }

  get size(): number {
    return this.subscribers.size;
  }

  publish(type: WatchEventType, app: KubeObject): void {
    if (this.subscribers.size === 0) return;
    const line = `data: ${JSON.stringify({ result: { type, application: withoutManagedFields(app) } })}\n\n`;
    for (const s of this.subscribers) {
      if (!s.wants(app)) continue;
      if (s.res.writableLength > MAX_BUFFERED_BYTES) { s.res.destroy(); this.subscribers.delete(s); continue; }
      s.res.write(line);
    }
  }

  subscribe(s: Subscriber): () => void {
    this.subscribers.add(s);
    return () => { this.subscribers.delete(s); };
  }

  close(): void {
    clearInterval(this.ping);
    for (const s of this.subscribers) s.res.end();
    this.subscribers.clear();
  }
}

export function handleStream(ctx: ApiContext, hub: AppEventHub, r: Request): Promise<void> {
  const name = r.url.searchParams.get('name');
  const projects = r.url.searchParams.getAll('project').flatMap((p) => p.split(',')).filter((p) => p !== '');
  const visible = canSee(ctx, r.who);
  const wants = (app: KubeObject): boolean => visible(app)
    && (name === null || app.metadata?.name === name)
    && (projects.length === 0 || projects.includes(projectOfApp(app)));
  r.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  r.res.write(': connected\n\n');
  // The current state first, so a client never misses what happened before it connected.
  for (const app of ctx.apps.list()) {
    if (wants(app)) r.res.write(`data: ${JSON.stringify({ result: { type: 'ADDED', application: withoutManagedFields(app) } })}\n\n`);
  }
  const unsubscribe = hub.subscribe({ res: r.res, wants });
  return new Promise((resolve) => {
    r.req.on('close', () => { unsubscribe(); resolve(); });
  });
}
