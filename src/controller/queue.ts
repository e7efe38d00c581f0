// A keyed work queue in the manner of client-go's workqueue: a request is only a key, duplicates merge,
// a key is never handled concurrently with itself, failures retry with per-key exponential backoff,
// and `requeueAfterMs` schedules the next look. Level-based: the handler reads current state, so
// running a key once for many adds loses nothing. The handler is told whether anything but its own
// timers (requeueAfterMs, retries) asked for the run since the last one: an event woke it.

export interface ReconcileResult {
  requeueAfterMs?: number;
  /** The handler found nothing changed and did no work (reported in metrics, not used by the queue). */
  unchanged?: boolean;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WorkQueueOptions {
  name: string;
  concurrency: number;
  /** Resolve with nothing or a result; reject to retry with backoff. */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- lets `async (key) => { … }` handlers return nothing
  handler: (key: string, run: RunInfo) => Promise<ReconcileResult | void>;
  /** First retry delay after a failure; doubles per consecutive failure. Default 5 ms (client-go). */
  baseBackoffMs?: number;
  /** Cap on the retry delay. Default 300 000 ms. */
  maxBackoffMs?: number;
  /** Called after every failed run with the delay before the retry. */
  onError?: (key: string, err: unknown, retryInMs: number) => void;
  clock?: Clock;
}

export interface RunInfo {
  /** add() was called for the key since its last run began; false when only a delayed add or retry brought it back. */
  readonly woken: boolean;
}

interface Delayed { due: number; handle: unknown }

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => { clearTimeout(handle as NodeJS.Timeout); },
};

export class WorkQueue {
  readonly name: string;
  private readonly order: string[] = [];
  /** Keys that need a run: those in `order`, plus processing keys re-added while they run. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  /** Keys add()ed (not only re-added by their own timers) since their last run began. */
  private readonly woken = new Set<string>();
  private readonly delayed = new Map<string, Delayed>();
  private readonly failures = new Map<string, number>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly clock: Clock;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private stopping = false;

  constructor(private readonly opts: WorkQueueOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
      throw new Error(`work queue ${opts.name}: concurrency must be a positive integer, got ${opts.concurrency}`);
    }
    this.name = opts.name;
    this.clock = opts.clock ?? systemClock;
    this.baseBackoffMs = opts.baseBackoffMs ?? 5;
    this.maxBackoffMs = opts.maxBackoffMs ?? 300_000;
  }

  /** Keys waiting for a worker. */
  get depth(): number {
    return this.order.length;
  }

  /** Keys being handled right now. */
  get active(): number {
    return this.processing.size;
  }

  /** Keys with a delayed add pending. */
  get delayedCount(): number {
    return this.delayed.size;
  }

  /** Asks for a run of the key: something about it changed. */
  add(key: string): void {
    this.enqueue(key, true);
  }

  private enqueue(key: string, woken: boolean): void {
    if (this.stopping) return;
    if (woken) this.woken.add(key);
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // runs again when the current run finishes
    this.order.push(key);
    this.pump();
  }

  /** Adds the key after `ms`. If a delayed add for the key is already pending, the sooner one is kept. */
  addAfter(key: string, ms: number): void {
    if (this.stopping) return;
    if (ms <= 0) {
      this.enqueue(key, false);
      return;
    }
    const due = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.due <= due) return;
    if (pending) this.clock.clearTimeout(pending.handle);
    const handle = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.enqueue(key, false);
    }, ms);
    this.delayed.set(key, { due, handle });
  }

  /** Resets the key's failure count, so its next failure retries after the base delay. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Stops taking work, drops waiting keys, cancels delayed adds and waits for running handlers. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const { handle } of this.delayed.values()) this.clock.clearTimeout(handle);
    this.delayed.clear();
    this.order.length = 0;
    this.dirty.clear();
    this.woken.clear();
    await this.idle();
  }

  /** Resolves once nothing waits and nothing runs. Pending delayed adds do not count. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => { this.idleWaiters.push(resolve); });
  }

  private isIdle(): boolean {
    return this.order.length === 0 && this.processing.size === 0;
  }

  private pump(): void {
    while (this.processing.size < this.opts.concurrency) {
      const key = this.order.shift();
      if (key === undefined) return;
      this.dirty.delete(key);
      this.processing.add(key);
      void this.run(key, { woken: this.woken.delete(key) });
    }
  }

  private async run(key: string, info: RunInfo): Promise<void> {
    try {
      const result = await this.opts.handler(key, info);
      this.succeeded(key, result ?? {});
    } catch (err) {
      this.failed(key, err);
    } finally {
      this.finished(key);
    }
  }

  private succeeded(key: string, result: ReconcileResult): void {
    this.forget(key);
    if (result.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
  }

  private failed(key: string, err: unknown): void {
    const count = this.failures.get(key) ?? 0;
    this.failures.set(key, count + 1);
    const retryInMs = Math.min(this.baseBackoffMs * 2 ** count, this.maxBackoffMs);
    this.addAfter(key, retryInMs);
    try {
      this.opts.onError?.(key, err, retryInMs);
    } catch {
      // A broken error hook must not stop the queue.
    }
  }

  private finished(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.order.push(key);
    this.pump();
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
