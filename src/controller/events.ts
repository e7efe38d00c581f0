// Kubernetes Events on Applications, so `kubectl describe` and the UI show what Fjord did and why.
// Repeats of the same event within a minute are folded into one. Recording never waits for the API
// server, as client-go's recorder does not: events go out from a queue, four requests at a time, so
// a reconcile's round trips are its own work only, and a burst of events (a cold start of a thousand
// Applications) cannot crowd out the applies and status writes. When the API server falls so far
// behind that the queue is full, further events are dropped and counted in one warning.
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { Logger } from '../util/log.js';

export type EventType = 'Normal' | 'Warning';

interface Pending { readonly path: string; readonly body: KubeObject; readonly name: string; readonly reason: string }

export interface EventRecorderOptions {
  /** Events sent at once (default 4: under a cold start's load one takes ~150 ms, so fewer would trail it by minutes). */
  readonly concurrency?: number;
  /** Events waiting at most; more are dropped (default 10,000). */
  readonly maxQueued?: number;
}

export class EventRecorder {
  private readonly recent = new Map<string, number>();
  private readonly queue: Pending[] = [];
  private sending = 0;
  private dropped = 0;
  private readonly drained: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly maxQueued: number;

  constructor(private readonly kube: KubeClient, private readonly log: Logger, private readonly component = 'fjord-controller', opts: EventRecorderOptions = {}) {
    this.concurrency = opts.concurrency ?? 4;
    this.maxQueued = opts.maxQueued ?? 10_000;
  }

  /** Queues the event and returns at once; flush() waits until it is sent. */
  record(app: KubeObject, type: EventType, reason: string, message: string): void {
    const ns = app.metadata?.namespace ?? 'default';
    const name = app.metadata?.name ?? '';
    const key = `${ns}/${name}/${reason}/${message}`;
    const now = Date.now();
    if ((this.recent.get(key) ?? 0) > now - 60_000) return;
    this.recent.set(key, now);
    if (this.recent.size > 5000) this.recent.clear();
    if (this.queue.length >= this.maxQueued) {
      if (this.dropped++ % 1000 === 0) this.log.warn('events dropped: the API server is not keeping up', { dropped: this.dropped, reason });
      return;
    }
    const ts = new Date(now).toISOString();
    this.queue.push({
      path: `/api/v1/namespaces/${ns}/events`, name, reason,
      body: {
        apiVersion: 'v1', kind: 'Event',
        metadata: { generateName: `${name}.`, namespace: ns },
        involvedObject: { apiVersion: app.apiVersion, kind: app.kind, name, namespace: ns, uid: app.metadata?.['uid'] },
        reason, message: message.slice(0, 1024), type, source: { component: this.component },
        firstTimestamp: ts, lastTimestamp: ts, count: 1, reportingComponent: this.component,
      },
    });
    this.pump();
  }

  /** Resolves once every queued event has been sent (or failed), or after `timeoutMs` (stopping must not hang on a dead API server). */
  flush(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.queue.length === 0 && this.sending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(resolve, timeoutMs) : undefined;
      this.drained.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  private pump(): void {
    while (this.sending < this.concurrency && this.queue.length > 0) {
      const next = this.queue.shift();
      if (!next) break;
      this.sending++;
      void this.send(next).finally(() => {
        this.sending--;
        this.pump();
        if (this.queue.length === 0 && this.sending === 0) for (const done of this.drained.splice(0)) done();
      });
    }
  }

  private async send(e: Pending): Promise<void> {
    try {
      await this.kube.create(e.path, e.body);
    } catch (err) {
      this.log.warn('could not record event', { app: e.name, reason: e.reason, error: (err as Error).message });
    }
  }
}
