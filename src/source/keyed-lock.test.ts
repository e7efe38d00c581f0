import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedLock } from './keyed-lock.js';

test('KeyedLock runs tasks of one key one at a time, in order, and keys in parallel', async () => {
  const lock = new KeyedLock();
  const log: string[] = [];
  let running = 0;
  let maxSameKey = 0;
  const task = (name: string, ms: number) => async (): Promise<string> => {
    running++;
    maxSameKey = Math.max(maxSameKey, running);
    log.push(`start ${name}`);
    await sleep(ms);
    log.push(`end ${name}`);
    running--;
    return name;
  };
  const started = Date.now();
  const [a1, a2, b1] = await Promise.all([
    lock.run('a', task('a1', 40)),
    lock.run('a', task('a2', 10)),
    lock.run('b', async () => { await sleep(40); return 'b1'; }),
  ]);
  assert.deepEqual([a1, a2, b1], ['a1', 'a2', 'b1']);
  assert.deepEqual(log, ['start a1', 'end a1', 'start a2', 'end a2']);
  assert.equal(maxSameKey, 1);
  assert.ok(Date.now() - started < 90, 'key b ran alongside key a');
  await sleep(0);
  assert.equal(lock.size, 0, 'idle keys are forgotten');
});

test('KeyedLock: a failing task rejects its caller and does not block the next', async () => {
  const lock = new KeyedLock();
  const failing = lock.run('k', () => Promise.reject(new Error('boom')));
  const next = lock.run('k', () => Promise.resolve('ok'));
  await assert.rejects(failing, /boom/);
  assert.equal(await next, 'ok');
});
