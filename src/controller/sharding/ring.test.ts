import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownerOf } from './ring.js';

const keys = Array.from({ length: 3000 }, (_, i) => `fjord/app-${i}`);

function owners(members: string[]): Map<string, string | undefined> {
  return new Map(keys.map((k) => [k, ownerOf(k, members)]));
}

test('every member gets a fair share of the keys', () => {
  const members = ['replica-a', 'replica-b', 'replica-c'];
  const counts = new Map<string, number>();
  for (const o of owners(members).values()) counts.set(o ?? '', (counts.get(o ?? '') ?? 0) + 1);
  assert.deepEqual([...counts.keys()].sort(), members);
  for (const [m, n] of counts) assert.ok(n > 850 && n < 1150, `${m} owns ${n} of 3000 keys`);
});

test('a joining member takes about 1/n of the keys, all of them from the others, and nothing else moves', () => {
  const before = owners(['replica-a', 'replica-b', 'replica-c']);
  const after = owners(['replica-a', 'replica-b', 'replica-c', 'replica-d']);
  let moved = 0;
  for (const k of keys) {
    if (before.get(k) === after.get(k)) continue;
    moved++;
    assert.equal(after.get(k), 'replica-d', `${k} moved from ${before.get(k)} to ${after.get(k)}`);
  }
  assert.ok(moved > 600 && moved < 900, `${moved} of 3000 keys moved (expected about 750)`);
});

test('a leaving member hands over only its own keys', () => {
  const before = owners(['replica-a', 'replica-b', 'replica-c']);
  const after = owners(['replica-a', 'replica-c']);
  for (const k of keys) {
    if (before.get(k) !== 'replica-b') assert.equal(after.get(k), before.get(k), k);
    else assert.notEqual(after.get(k), 'replica-b');
  }
});

test('the owner does not depend on the order members are listed in, and nobody owns anything without members', () => {
  for (const k of keys.slice(0, 200)) assert.equal(ownerOf(k, ['x', 'y', 'z']), ownerOf(k, ['z', 'x', 'y']));
  assert.equal(ownerOf('fjord/app', []), undefined);
  assert.equal(ownerOf('fjord/app', ['solo']), 'solo');
});
