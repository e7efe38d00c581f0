import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DryRunCache } from './compare.js';

const obj = (v: string): { metadata: { name: string }; data: { v: string } } => ({ metadata: { name: 'x' }, data: { v } });

test('one prediction per object: a new one replaces the old, an old key misses, and many objects all stay', () => {
  const c = new DryRunCache();
  c.set('uid-1', 'aaa', obj('1'));
  assert.deepEqual(c.get('uid-1', 'aaa'), obj('1'));
  c.set('uid-1', 'bbb', obj('2'));
  assert.equal(c.get('uid-1', 'aaa'), undefined, 'the prediction for the old desired/live content is gone');
  assert.deepEqual(c.get('uid-1', 'bbb'), obj('2'));
  assert.equal(c.size, 1, 'one slot per object, however often it changes');
  for (let i = 0; i < 100_000; i++) c.set(`uid-${i}`, `h${i}`, obj(String(i)));
  assert.equal(c.size, 100_000);
  assert.deepEqual(c.get('uid-7', 'h7'), obj('7'), 'the first of 100,000 objects is still there (the old bound of 20,000 evicted it)');
});

test('the hard cap evicts the object stored first, and replacing an object does not count against it', () => {
  const c = new DryRunCache(3);
  c.set('a', '1', obj('a'));
  c.set('b', '1', obj('b'));
  c.set('c', '1', obj('c'));
  c.set('a', '2', obj('a2'));
  assert.equal(c.size, 3, 'replacing does not evict');
  c.set('d', '1', obj('d'));
  assert.equal(c.get('a', '2'), undefined, 'the oldest inserted object goes first');
  assert.deepEqual(c.get('d', '1'), obj('d'));
  assert.deepEqual(c.get('c', '1'), obj('c'));
});
