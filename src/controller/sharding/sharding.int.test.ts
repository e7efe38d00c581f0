// Controller replicas share the Applications of one namespace through Leases: each app is reconciled
// by exactly one replica, never by two at once; a replica that dies without releasing its lease has
// its apps picked up within the lease duration; a joining replica takes only its share; and two
// replicas started with defaults shard by themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownerOf } from './ring.js';
import { allSynced, apps, assertNoOverlap, assertOwnedBy, createApps, keyOf, LEASE_MS, pushAll, viewsSettle, world } from './shard-world.js';

test('three replicas share the Applications, a killed one is replaced within the lease duration, a fourth takes only its share', async (t) => {
  const w = await world(t);
  const first = await pushAll(w, 'v1');
  const [r1, r2, r3] = await Promise.all(['replica-1', 'replica-2', 'replica-3'].map((id) => w.start({ replicaId: id, leaseDurationMs: LEASE_MS })));
  assert.ok(r1 && r2 && r3);
  const three = [r1.id, r2.id, r3.id];
  await viewsSettle(w, three);
  await createApps(w);
  await allSynced(w, first);
  assertOwnedBy(w, w.log, three, 'with three replicas');
  const counts = three.map((id) => apps.filter((a) => ownerOf(keyOf(w.ns, a), three) === id).length);
  t.diagnostic(`apps per replica: ${counts.join(' / ')}`);

  const orphans = apps.map((a) => keyOf(w.ns, a)).filter((k) => ownerOf(k, three) === r2.id);
  assert.ok(orphans.length > 0, 'replica-2 owns some apps');
  await r2.manager.stop({ releaseLease: false });
  const killedAt = Date.now();
  const second = await pushAll(w, 'v2');
  await allSynced(w, second);
  const afterKill = w.log.filter((e) => e.end > killedAt);
  const pickups = orphans.map((k) => Math.min(...afterKill.filter((e) => e.app === k).map((e) => e.start)) - killedAt);
  const slowest = Math.max(...pickups);
  t.diagnostic(`replica-2 killed without releasing its lease (${LEASE_MS} ms): its ${orphans.length} apps picked up after ${pickups.join(', ')} ms`);
  // Expiry comes at most one lease after the last renewal the others saw; then one publish, one list and the reconcile start.
  assert.ok(slowest <= LEASE_MS + 3000, `picked up after ${slowest} ms, lease ${LEASE_MS} ms`);
  assert.ok(!afterKill.some((e) => e.replica === r2.id && e.start > killedAt), 'the killed replica reconciled nothing');
  const two = [r1.id, r3.id];
  assertOwnedBy(w, afterKill, two, 'after the kill');

  const r4 = await w.start({ replicaId: 'replica-4', leaseDurationMs: LEASE_MS });
  const joined = [r1.id, r3.id, r4.id];
  await viewsSettle(w, joined);
  const mark = Date.now();
  const third = await pushAll(w, 'v3');
  await allSynced(w, third);
  const afterJoin = w.log.filter((e) => e.start > mark);
  assertOwnedBy(w, afterJoin, joined, 'after the fourth replica joined');
  const moved = apps.map((a) => keyOf(w.ns, a)).filter((k) => ownerOf(k, two) !== ownerOf(k, joined));
  assert.ok(moved.every((k) => ownerOf(k, joined) === r4.id), 'only apps for the new replica moved');
  t.diagnostic(`replica-4 joined: ${moved.length} of ${apps.length} apps moved to it, the others stayed`);
  assertNoOverlap(w.log);
});

test('two controllers started with defaults against the same namespace shard by themselves: no app is applied by both', async (t) => {
  const w = await world(t);
  const first = await pushAll(w, 'v1');
  const [a, b] = await Promise.all([w.start(), w.start()]);
  assert.ok(a.id !== b.id && a.id !== '' && b.id !== '', `replica IDs ${a.id} and ${b.id}`);
  await viewsSettle(w, [a.id, b.id]);
  await createApps(w);
  await allSynced(w, first);
  const second = await pushAll(w, 'v2');
  await allSynced(w, second);
  assertOwnedBy(w, w.log, [a.id, b.id], 'two default replicas');
  const shares = [a.id, b.id].map((id) => new Set(w.log.filter((e) => e.replica === id).map((e) => e.app)).size);
  t.diagnostic(`apps reconciled per replica: ${shares.join(' / ')}`);
  assert.ok(shares.every((n) => n > 0), 'both replicas do work');
  assertNoOverlap(w.log);
});

test('a webhook received by one replica reaches the Applications another replica owns, without waiting for its poll', async (t) => {
  const w = await world(t);
  const first = await pushAll(w, 'v1');
  // Polls ten minutes apart: only the webhook can bring the next commit in time.
  const slow = { pollIntervalMs: 600_000 };
  const [r1, r2] = await Promise.all(['hook-1', 'hook-2'].map((id) => w.start({ replicaId: id, leaseDurationMs: LEASE_MS }, undefined, slow)));
  assert.ok(r1 && r2);
  await viewsSettle(w, [r1.id, r2.id]);
  await createApps(w);
  await allSynced(w, first);
  const keys = apps.map((a) => keyOf(w.ns, a));
  const theirs = keys.filter((k) => ownerOf(k, [r1.id, r2.id]) === r2.id);
  assert.ok(theirs.length > 0 && theirs.length < keys.length, 'both replicas own some apps');

  const second = await pushAll(w, 'v2');
  const pushed = Date.now();
  await r1.manager.repositoryPushed(w.repoURL, keys);
  await allSynced(w, second, 30_000);
  t.diagnostic(`all ${keys.length} apps (${theirs.length} of them owned by the other replica) at the new commit ${Date.now() - pushed} ms after the webhook`);
  assertOwnedBy(w, w.log, [r1.id, r2.id], 'with the refresh passed on');
  assertNoOverlap(w.log);
});
