import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Semaphore } from './semaphore.js';

test('no more than the limit run at once, and every task runs', async () => {
  const s = new Semaphore(2);
  let running = 0;
  let peak = 0;
  const done = await Promise.all(Array.from({ length: 7 }, (_, i) => s.run(async () => {
    running++;
    peak = Math.max(peak, running);
    await sleep(5);
    running--;
    return i;
  })));
  assert.equal(peak, 2);
  assert.deepEqual(done, [0, 1, 2, 3, 4, 5, 6]);
});

test('a limit of 0 means unlimited, and a failing task releases its slot', async () => {
  const s = new Semaphore(1);
  await assert.rejects(s.run(() => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await s.run(() => Promise.resolve('next')), 'next');
  const u = new Semaphore(0);
  let peak = 0;
  let running = 0;
  await Promise.all(Array.from({ length: 5 }, () => u.run(async () => { running++; peak = Math.max(peak, running); await sleep(5); running--; })));
  assert.equal(peak, 5);
});
