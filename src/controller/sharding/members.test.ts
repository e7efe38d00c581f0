import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemberTable } from './members.js';
import type { LeaseRecord } from './lease.js';
import { leaseName, leaseObject, leaseRecord, microTime } from './lease.js';
import { ownerOf } from './ring.js';

const rec = (holder: string, rv: number, view: string[] = [holder], durationMs = 15_000): LeaseRecord => ({ name: leaseName(holder), holder, durationMs, view, resourceVersion: rv });

test('a member counts until its lease duration has passed since it was last seen renewing', () => {
  const t = new MemberTable();
  t.observe(rec('a', 1), 1000);
  t.observe(rec('b', 2), 1000);
  assert.deepEqual(t.liveOthers('self', 15_999).sort(), ['a', 'b']);
  t.observe(rec('a', 3), 10_000);
  assert.deepEqual(t.liveOthers('self', 16_000), ['a']);
  assert.equal(t.nextExpiry(16_000), 25_000);
  assert.deepEqual(t.liveOthers('self', 25_000), []);
  assert.equal(t.nextExpiry(25_000), undefined);
});

test('an older resourceVersion (a lagging watch after a fresh list) neither renews nor changes a member', () => {
  const t = new MemberTable();
  assert.equal(t.observe(rec('a', 5, ['a', 'b']), 0), true);
  assert.equal(t.observe(rec('a', 4, ['a']), 14_000), false);
  assert.deepEqual(t.viewOf('a'), ['a', 'b']);
  assert.deepEqual(t.liveOthers('self', 15_000), []);
});

test('a released lease leaves at once; a lease deleted while it claimed keys counts until it expires', () => {
  const t = new MemberTable();
  t.observe(rec('gone', 1, []), 0);
  t.remove(rec('gone', 2, []));
  t.observe(rec('crashed', 3, ['crashed']), 0);
  t.remove(rec('crashed', 3, ['crashed']));
  assert.deepEqual(t.liveOthers('self', 1000), ['crashed']);
  assert.deepEqual(t.liveOthers('self', 15_000), []);
});

test('a key is clear only when no live member published a view in which it owns that key', () => {
  const t = new MemberTable();
  const keys = Array.from({ length: 50 }, (_, i) => `ns/app-${i}`);
  const aKey = keys.find((k) => ownerOf(k, ['a', 'self']) === 'a') ?? '';
  const selfKey = keys.find((k) => ownerOf(k, ['a', 'self']) === 'self') ?? '';
  t.observe(rec('a', 1, ['a']), 0);
  assert.equal(t.othersClearOf(selfKey, 'self', 1), false, 'a alone claims every key');
  t.observe(rec('a', 2, ['a', 'self']), 2);
  assert.equal(t.othersClearOf(selfKey, 'self', 3), true);
  assert.equal(t.othersClearOf(aKey, 'self', 3), false);
  t.observe(rec('a', 3, []), 4);
  assert.equal(t.othersClearOf(aKey, 'self', 5), true, 'an empty view claims nothing');
  t.observe(rec('b', 4, ['b']), 0);
  assert.equal(t.othersClearOf(aKey, 'self', 15_000), true, 'an expired member claims nothing');
});

test('lease objects round-trip, with MicroTime renew times and DNS-safe names', () => {
  const obj = leaseObject('fjord', 'Host_1:42', 15_000, ['Host_1:42', 'b'], Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  assert.equal(obj.metadata?.name, 'fjord-controller-host-1-42');
  assert.equal((obj['spec'] as { renewTime: string }).renewTime, '2026-01-02T03:04:05.678000Z');
  assert.equal(microTime(0), '1970-01-01T00:00:00.000000Z');
  const r = leaseRecord({ ...obj, metadata: { ...obj.metadata, resourceVersion: '17' } });
  assert.deepEqual(r, { name: 'fjord-controller-host-1-42', holder: 'Host_1:42', durationMs: 15_000, view: ['Host_1:42', 'b'], resourceVersion: 17 });
});
