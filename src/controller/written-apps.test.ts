import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WrittenApps } from './written-apps.js';

const obj = (rv: string, note: string): Record<string, unknown> & { metadata: { resourceVersion: string } } => ({ metadata: { resourceVersion: rv }, note });

test('our own write wins until the informer holds that version or a newer one', () => {
  const w = new WrittenApps();
  w.record('ns/a', obj('10', 'ours'));
  assert.equal(w.freshest('ns/a', obj('9', 'stale'))?.['note'], 'ours');
  assert.equal(w.freshest('ns/a', obj('12', 'deleted by a user'))?.['note'], 'deleted by a user');
  assert.equal(w.freshest('ns/a', obj('11', 'older than what we saw'))?.['note'], 'older than what we saw', 'once caught up, the informer is trusted');
});

test('a deleted Application is gone even if we wrote it last; opaque versions trust the informer', () => {
  const w = new WrittenApps();
  w.record('ns/a', obj('10', 'ours'));
  assert.equal(w.freshest('ns/a', undefined), undefined);
  w.record('ns/b', obj('abc', 'ours'));
  assert.equal(w.freshest('ns/b', obj('xyz', 'informer'))?.['note'], 'informer');
});
