import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedLock } from './keyed-lock.js';

/** A task that records its start and end and finishes only when the test opens it. */
function gated(log: string[], name: string): { run: () => Promise<string>; open: () => void } {
  let open = (): void => undefined;
  const gate = new Promise<void>((resolve) => { open = resolve; });
  return {
    run: async () => {
      log.push(`start ${name}`);
      await gate;
      log.push(`end ${name}`);
      return name;
    },
    open: () => { open(); },
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('KeyedLock runs tasks of one key one at a time, in order, and keys in parallel', async () => {
  const lock = new KeyedLock();
  const log: string[] = [];
  const a1 = gated(log, 'a1');
  const a2 = gated(log, 'a2');
  const b1 = gated(log, 'b1');
  const results = Promise.all([lock.run('a', a1.run), lock.run('a', a2.run), lock.run('b', b1.run)]);
  await settle();
  assert.deepEqual(log, ['start a1', 'start b1'], 'a2 waits for a1; b1 does not wait for key a');
  b1.open();
  await settle();
  assert.deepEqual(log, ['start a1', 'start b1', 'end b1'], 'key b finished while a1 still runs');
  a1.open();
  await settle();
  assert.deepEqual(log.slice(3), ['end a1', 'start a2'], 'a2 starts only after a1 ended');
  a2.open();
  assert.deepEqual(await results, ['a1', 'a2', 'b1']);
  assert.deepEqual(log.slice(5), ['end a2']);
  await settle();
  assert.equal(lock.size, 0, 'idle keys are forgotten');
});

test('KeyedLock: a failing task rejects its caller and does not block the next', async () => {
  const lock = new KeyedLock();
  const failing = lock.run('k', () => Promise.reject(new Error('boom')));
  const next = lock.run('k', () => Promise.resolve('ok'));
  await assert.rejects(failing, /boom/);
  assert.equal(await next, 'ok');
});
