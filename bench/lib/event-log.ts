// Watch events time-stamped on arrival, and waiters that resolve with the arrival time of the first
// event (since a mark) that satisfies them: the stopwatch of the latency benchmarks.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../src/kube/client.js';
import type { WatchEventType } from '../../src/kube/watch.js';

export interface SeenEvent { readonly type: WatchEventType; readonly obj: KubeObject; readonly at: number }
export type Check = (e: SeenEvent) => boolean;

export class EventLog {
  private readonly events: SeenEvent[] = [];
  private dropped = 0;
  private readonly waiters = new Set<{ check: Check; resolve: (at: number) => void }>();

  record(type: WatchEventType, obj: KubeObject): void {
    const e = { type, obj, at: performance.now() };
    this.events.push(e);
    if (this.events.length > 5000) { this.events.splice(0, 1000); this.dropped += 1000; }
    for (const w of this.waiters) {
      if (w.check(e)) { this.waiters.delete(w); w.resolve(e.at); }
    }
  }

  /** A position in the log: waitFor(mark, …) also considers events that arrived since then. */
  mark(): number {
    return this.dropped + this.events.length;
  }

  /** The arrival time of the first event since `mark` that passes `check`, or undefined after `timeoutMs`. */
  async waitFor(mark: number, check: Check, timeoutMs: number): Promise<number | undefined> {
    const seen = this.events.slice(Math.max(0, mark - this.dropped)).find(check);
    if (seen) return seen.at;
    let waiter: { check: Check; resolve: (at: number) => void } | undefined;
    const hit = new Promise<number>((resolve) => { waiter = { check, resolve }; this.waiters.add(waiter); });
    const ac = new AbortController();
    const timeout = sleep(timeoutMs, undefined, { signal: ac.signal }).catch(() => undefined);
    const at = await Promise.race([hit, timeout]);
    ac.abort();
    if (waiter) this.waiters.delete(waiter);
    return at;
  }
}

// ---------------------------------------------------------------------------------------------
// Reconcile records, tapped from the controller's logger (the log itself goes to a file).
