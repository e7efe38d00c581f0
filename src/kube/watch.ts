// Informers, client-go style and without polling: LIST (paged) for the current state and its
// resourceVersion, then WATCH from there with bookmarks, resuming from the last resourceVersion seen
// whenever a watch ends. When that version has expired (410), LIST again and report the difference as
// events, so a deletion during the gap is never missed. Any other failure is retried with jittered
// exponential backoff until stop().
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient, KubeObject } from './client.js';
import { isExpired, listAll, watchError, watchEvents, type Query, type RawWatchEvent } from './list-watch.js';
import { ObjectStore, type StoreChange, type WatchEventType } from './watch-store.js';

export type { WatchEventType } from './watch-store.js';

export interface Informer {
  start(): void;
  /** Aborts the request in flight and resolves once nothing runs any more. */
  stop(): Promise<void>;
  /** Resolves after the initial list has been delivered; rejects if stopped before that. */
  synced(): Promise<void>;
  list(): KubeObject[];
  get(namespace: string | undefined, name: string): KubeObject | undefined;
}

export interface InformerOptions {
  /** A collection path, e.g. from collectionPath(). */
  readonly path: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly onEvent?: (type: WatchEventType, obj: KubeObject, old?: KubeObject) => void;
  readonly onError?: (e: Error) => void;
  readonly log?: (msg: string) => void;
  /** Server-side length of each watch; by default random in 300–600 s so informers do not reconnect in step. */
  readonly timeoutSeconds?: number;
  /** Objects per LIST page (default 500). */
  readonly pageSize?: number;
  /** Retry delays: the first one and the cap (default 200 ms → 30 s), each jittered down by up to half. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

/** A watch that ended by itself sooner than this without any event counts as a failure (no hot loop). */
const MIN_QUIET_WATCH_MS = 250;
/** A watch that ran this long proves the connection healthy again: the backoff starts over. */
const HEALTHY_MS = 30_000;

/** signal.aborted, read through a call: TypeScript would otherwise keep it narrowed to false across awaits. */
function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

class Backoff {
  private attempt = 0;

  constructor(private readonly initialMs: number, private readonly maxMs: number) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}

class SyncSignal {
  state: 'pending' | 'synced' | 'failed' = 'pending';
  private settle: { resolve: () => void; reject: (e: Error) => void } = { resolve: () => undefined, reject: () => undefined };
  promise = this.create();

  private create(): Promise<void> {
    const p = new Promise<void>((resolve, reject) => { this.settle = { resolve, reject }; });
    p.catch(() => undefined); // a rejection nobody waits for must not crash the process
    return p;
  }

  resolve(): void {
    this.state = 'synced';
    this.settle.resolve();
  }

  fail(e: Error): void {
    this.state = 'failed';
    this.settle.reject(e);
  }

  /** After a failure, start() waits for a new initial list. */
  rearm(): void {
    if (this.state !== 'failed') return;
    this.state = 'pending';
    this.promise = this.create();
  }
}

class ListWatchInformer implements Informer {
  private readonly store = new ObjectStore();
  private readonly sync = new SyncSignal();
  private readonly query: Query;
  private resourceVersion = '';
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly kube: KubeClient, private readonly opts: InformerOptions) {
    this.query = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
  }

  start(): void {
    if (this.loop) return;
    this.sync.rearm();
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
    if (this.sync.state === 'pending') this.sync.fail(new Error(`informer ${this.opts.path}: stopped before the initial list`));
  }

  synced(): Promise<void> {
    return this.sync.promise;
  }

  list(): KubeObject[] {
    return this.store.list();
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(namespace, name);
  }

  private async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.opts.backoff?.initialMs ?? 200, this.opts.backoff?.maxMs ?? 30_000);
    let relist = true;
    while (!signal.aborted) {
      const started = Date.now();
      try {
        if (relist) await this.relist(signal);
        relist = false;
        await this.watch(signal);
        backoff.reset();
        continue;
      } catch (e) {
        if (aborted(signal)) return;
        relist ||= isExpired(e);
        this.failed(e);
      }
      if (Date.now() - started >= HEALTHY_MS) backoff.reset();
      await sleep(backoff.next(), undefined, { signal }).catch(() => undefined);
    }
  }

  private failed(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    if (isExpired(e)) this.log(`resourceVersion ${this.resourceVersion} expired; listing again`);
    else this.report(new Error(`informer ${this.opts.path}: ${err.message}; retrying`, { cause: err }));
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const list = await listAll(this.kube, this.opts.path, this.query, { pageSize: this.opts.pageSize ?? 500, signal });
    const changes = this.store.replace(list.items);
    this.resourceVersion = list.resourceVersion;
    this.log(`listed ${list.items.length} objects at resourceVersion ${list.resourceVersion}`);
    for (const c of changes) this.emit(c);
    if (this.sync.state === 'pending') this.sync.resolve();
  }

  /** One WATCH from the last resourceVersion, until the API server ends it. */
  private async watch(signal: AbortSignal): Promise<void> {
    const timeoutSeconds = this.opts.timeoutSeconds ?? randomInt(300, 601);
    const query = { ...this.query, allowWatchBookmarks: true, resourceVersion: this.resourceVersion, timeoutSeconds };
    const started = Date.now();
    let events = 0;
    const idleTimeoutMs = (timeoutSeconds + 60) * 1000;
    for await (const ev of watchEvents(this.kube, this.opts.path, query, { signal, idleTimeoutMs })) {
      this.handle(ev);
      events++;
    }
    if (events === 0 && Date.now() - started < MIN_QUIET_WATCH_MS) throw new Error('the API server closed the watch at once');
    this.log(`watch ended after ${events} events; resuming at resourceVersion ${this.resourceVersion}`);
  }

  private handle(ev: RawWatchEvent): void {
    const rv = ev.object.metadata?.resourceVersion;
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        this.emit(this.store.apply(ev.type, ev.object));
        break;
      case 'BOOKMARK':
        break;
      case 'ERROR':
        throw watchError(this.opts.path, ev.object);
      default:
        this.log(`ignoring a watch event of type ${ev.type}`);
        return;
    }
    if (rv) this.resourceVersion = rv;
  }

  private emit(c: StoreChange): void {
    if (!this.opts.onEvent) return;
    try {
      this.opts.onEvent(c.type, c.obj, c.old);
    } catch (cause) {
      this.report(new Error(`informer ${this.opts.path}: the ${c.type} handler failed: ${(cause as Error).message}`, { cause }));
    }
  }

  private report(e: Error): void {
    try {
      if (this.opts.onError) this.opts.onError(e);
      else this.log(e.message);
    } catch (handlerError) {
      this.log(`the error handler failed: ${(handlerError as Error).message} (on: ${e.message})`);
    }
  }

  private log(msg: string): void {
    this.opts.log?.(`informer ${this.opts.path}: ${msg}`);
  }
}

/** An informer for one collection; call start() to begin, and await synced() before trusting list(). */
export function createInformer(kube: KubeClient, opts: InformerOptions): Informer {
  return new ListWatchInformer(kube, opts);
}
