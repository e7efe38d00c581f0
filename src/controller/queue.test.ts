import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue, type Clock, type ReconcileResult, type WorkQueueOptions } from './queue.js';

/** A clock whose timers fire only when the test advances it. */
class FakeClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number { return this.t; }
  setTimeout(fn: () => void, ms: number): unknown {
    this.timers.set(++this.seq, { at: this.t + ms, fn });
    return this.seq;
  }
  clearTimeout(handle: unknown): void { this.timers.delete(handle as number); }
  get pending(): number { return this.timers.size; }

  /** Moves time forward, firing due timers in order and letting handlers settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers].filter(([, tm]) => tm.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await settle();
    }
    this.t = end;
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Gate { promise: Promise<void>; open: () => void }
function gate(): Gate {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

type Handler = WorkQueueOptions['handler'];
function queue(handler: Handler, extra: Partial<WorkQueueOptions> = {}): WorkQueue {
  return new WorkQueue({ name: 'test', concurrency: 1, handler, ...extra });
}

describe('dedupe and per-key serialisation', () => {
  test('a key already waiting is not added twice', async () => {
    const runs: string[] = [];
    const blocker = gate();
    const q = queue(async (key) => { runs.push(key); if (key === 'x') await blocker.promise; });
    q.add('x');
    q.add('a');
    q.add('a');
    q.add('a');
    assert.equal(q.active, 1);
    assert.equal(q.depth, 1);
    blocker.open();
    await q.idle();
    assert.deepEqual(runs, ['x', 'a']);
  });

  test('a key re-added while it runs runs exactly once more, never concurrently with itself', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const first = gate();
    const q = queue(async () => {
      runs++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      if (runs === 1) await first.promise;
      await settle();
      running--;
    }, { concurrency: 4 });
    q.add('a');
    q.add('a');
    q.add('a');
    assert.equal(q.active, 1);
    assert.equal(q.depth, 0, 'the re-added key waits for its own run, not for a worker');
    first.open();
    await q.idle();
    assert.equal(runs, 2);
    assert.equal(maxRunning, 1);
  });
});

test('at most `concurrency` handlers run at once', async () => {
  let running = 0;
  let maxRunning = 0;
  const gates = new Map<string, Gate>();
  const q = queue(async (key) => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    const g = gate();
    gates.set(key, g);
    await g.promise;
    running--;
  }, { concurrency: 2 });
  for (const k of ['a', 'b', 'c', 'd', 'e']) q.add(k);
  assert.equal(q.active, 2);
  assert.equal(q.depth, 3);
  while (gates.size > 0) {
    for (const [k, g] of gates) { gates.delete(k); g.open(); }
    await settle();
  }
  await q.idle();
  assert.equal(maxRunning, 2);
  assert.equal(q.depth, 0);
});

describe('retries with per-key exponential backoff', () => {
  test('the delay doubles per consecutive failure, is capped, and success resets it', async () => {
    const clock = new FakeClock();
    const outcomes = ['fail', 'fail', 'fail', 'fail', 'ok', 'fail'];
    const delays: number[] = [];
    const q = queue(() => {
      const outcome = outcomes.shift();
      return outcome === 'fail' ? Promise.reject(new Error('boom')) : Promise.resolve();
    }, { clock, baseBackoffMs: 100, maxBackoffMs: 250, onError: (_k, _e, ms) => { delays.push(ms); } });
    q.add('a');
    await settle();
    await clock.advance(100);
    await clock.advance(200);
    await clock.advance(250);
    await clock.advance(250);
    assert.deepEqual(delays, [100, 200, 250, 250]);
    q.add('a'); // fails again after the success: back to the base delay
    await settle();
    assert.deepEqual(delays, [100, 200, 250, 250, 100]);
    await q.shutdown();
  });

  test('default backoff starts at 5 ms; forget() resets it', async () => {
    const clock = new FakeClock();
    const delays: number[] = [];
    const q = queue(() => Promise.reject(new Error('boom')), { clock, onError: (_k, _e, ms) => { delays.push(ms); } });
    q.add('a');
    await settle();
    await clock.advance(5);
    assert.deepEqual(delays, [5, 10]);
    q.forget('a');
    await clock.advance(10);
    assert.deepEqual(delays, [5, 10, 5]);
    await q.shutdown();
    assert.equal(clock.pending, 0);
  });

  test('an error hook that throws does not stop the queue', async () => {
    const clock = new FakeClock();
    let runs = 0;
    const q = queue(() => { runs++; return Promise.reject(new Error('boom')); }, { clock, onError: () => { throw new Error('hook'); } });
    q.add('a');
    await settle();
    await clock.advance(5);
    assert.equal(runs, 2);
    await q.shutdown();
  });
});

describe('delayed adds', () => {
  test('requeueAfterMs schedules the next run', async () => {
    const clock = new FakeClock();
    let runs = 0;
    const q = queue((): Promise<ReconcileResult> => { runs++; return Promise.resolve(runs === 1 ? { requeueAfterMs: 1000 } : {}); }, { clock });
    q.add('a');
    await q.idle();
    assert.equal(q.delayedCount, 1);
    await clock.advance(999);
    assert.equal(runs, 1);
    await clock.advance(1);
    await q.idle();
    assert.equal(runs, 2);
    assert.equal(q.delayedCount, 0);
  });

  test('the soonest pending delay for a key wins', async () => {
    const clock = new FakeClock();
    const runsAt: number[] = [];
    const q = queue(() => { runsAt.push(clock.now()); return Promise.resolve(); }, { clock });
    q.addAfter('a', 1000);
    q.addAfter('a', 500);
    q.addAfter('a', 2000);
    assert.equal(q.delayedCount, 1);
    assert.equal(clock.pending, 1, 'the replaced timer is cancelled');
    await clock.advance(5000);
    assert.deepEqual(runsAt, [500]);
  });

  test('a zero delay adds at once', async () => {
    let runs = 0;
    const q = queue(() => { runs++; return Promise.resolve(); });
    q.addAfter('a', 0);
    await q.idle();
    assert.equal(runs, 1);
  });
});

describe('woken: whether an event asked for the run', () => {
  test('add() wakes; a requeue, a delayed add or a retry alone does not; an add during a run wakes the next run', async () => {
    const clock = new FakeClock();
    const seen: boolean[] = [];
    const blocker = gate();
    let fail = false;
    const q = queue(async (_key, run) => {
      seen.push(run.woken);
      if (seen.length === 3) await blocker.promise;
      if (fail) { fail = false; throw new Error('boom'); }
      return { requeueAfterMs: 1000 };
    }, { clock, baseBackoffMs: 10 });
    q.add('a');
    await q.idle();
    assert.deepEqual(seen, [true], 'the first run was asked for by add()');
    await clock.advance(1000);
    await q.idle();
    assert.deepEqual(seen, [true, false], 'its own requeue is not an event');
    await clock.advance(1000);
    assert.equal(q.active, 1, 'the third run is held');
    q.add('a');
    q.add('a');
    blocker.open();
    await settle();
    await q.idle();
    assert.deepEqual(seen, [true, false, false, true], 'adds during a run wake the run after it, once');
    fail = true;
    q.add('a');
    await q.idle();
    await clock.advance(10);
    await q.idle();
    assert.deepEqual(seen.slice(4), [true, false], 'the retry after a failure is not woken');
    q.addAfter('b', 0);
    await q.idle();
    assert.equal(seen.at(-1), false, 'a zero delay runs at once but is still a timer');
    await q.shutdown();
  });
});

describe('shutdown', () => {
  test('waits for in-flight handlers, drops waiting keys and leaves no timers', async () => {
    const inFlight = gate();
    const runs: string[] = [];
    const q = queue(async (key) => { runs.push(key); await inFlight.promise; throw new Error('fails after shutdown began'); });
    q.add('a');
    q.add('b');
    q.addAfter('c', 60_000); // a real timer: if shutdown left it, this test process would not exit
    let done = false;
    const stopped = q.shutdown().then(() => { done = true; });
    await settle();
    assert.equal(done, false, 'shutdown waits for the running handler');
    assert.equal(q.depth, 0);
    assert.equal(q.delayedCount, 0);
    inFlight.open();
    await stopped;
    assert.deepEqual(runs, ['a']);
    assert.equal(q.active, 0);
    assert.equal(q.delayedCount, 0, 'the failed run scheduled no retry');
    q.add('d');
    q.addAfter('e', 1);
    assert.equal(q.depth + q.active + q.delayedCount, 0, 'no work is taken after shutdown');
  });

  test('idle() resolves at once on an empty queue', async () => {
    await queue(() => Promise.resolve()).idle();
  });

  test('a non-positive concurrency is refused', () => {
    assert.throws(() => queue(() => Promise.resolve(), { concurrency: 0 }), /concurrency must be a positive integer/);
  });
});
