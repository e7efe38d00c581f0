import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SelfHealBackoff } from './self-heal-backoff.js';

test('the first self-heal is immediate, repeats wait 2 s, 6 s, 18 s, capped, and reset after a quiet period', () => {
  let now = 0;
  const b = new SelfHealBackoff({ initialMs: 2000, factor: 3, maxMs: 10_000, resetAfterMs: 60_000 }, () => now);
  assert.equal(b.delayMs('a'), 0);
  b.record('a');
  assert.equal(b.delayMs('a'), 2000);
  now = 2000; b.record('a');
  assert.equal(b.delayMs('a'), 6000);
  now = 8000; b.record('a');
  assert.equal(b.delayMs('a'), 10_000, 'capped');
  now += 5000;
  assert.equal(b.delayMs('a'), 5000);
  assert.equal(b.delayMs('b'), 0, 'per Application');
  now += 61_000;
  assert.equal(b.delayMs('a'), 0, 'reset after a quiet period');
  b.record('a');
  assert.equal(b.delayMs('a'), 2000);
});
