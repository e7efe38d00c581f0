// A replica cut off from the API server (its connection goes through a fault proxy that goes down)
// fences itself before the lease the others see has expired, the other replica takes its
// Applications only after that, and when the connection is back it rejoins and gets its share back
// without any Application being reconciled by both at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultProxy } from '../../testing/fault-proxy.js';
import { defer } from '../../testing/cleanup.js';
import { ownerOf } from './ring.js';
import { allSynced, apps, assertNoOverlap, assertOwnedBy, createApps, keyOf, LEASE_MS, pushAll, viewsSettle, world } from './shard-world.js';

test('a replica that loses the API server fences itself before its apps move, and takes its share back when it returns', async (t) => {
  const w = await world(t);
  const proxy = await FaultProxy.start(w.kube.access);
  defer(t, () => proxy.close());
  const first = await pushAll(w, 'v1');
  const direct = await w.start({ replicaId: 'replica-direct', leaseDurationMs: LEASE_MS });
  const cut = await w.start({ replicaId: 'replica-cut', leaseDurationMs: LEASE_MS }, proxy.access);
  const both = [direct.id, cut.id];
  await viewsSettle(w, both);
  await createApps(w);
  await allSynced(w, first);
  const stranded = apps.map((a) => keyOf(w.ns, a)).filter((k) => ownerOf(k, both) === cut.id);
  assert.ok(stranded.length > 0, 'replica-cut owns some apps');

  await proxy.down();
  const downAt = Date.now();
  const second = await pushAll(w, 'v2');
  await allSynced(w, second);
  const fencedAt = cut.warnings.find((x) => x.at > downAt && /reconciles nothing/.test(x.msg))?.at;
  assert.ok(fencedAt !== undefined, `replica-cut logged that it fenced itself; its warnings: ${cut.warnings.map((x) => x.msg).join('; ')}`);
  const takeovers = w.log.filter((e) => e.replica === direct.id && stranded.includes(e.app) && e.end > downAt);
  const firstTakeover = Math.min(...takeovers.map((e) => e.start));
  t.diagnostic(`connection cut: replica-cut fenced after ${fencedAt - downAt} ms, replica-direct took its ${stranded.length} apps after ${firstTakeover - downAt} ms (lease ${LEASE_MS} ms)`);
  assert.ok(fencedAt < firstTakeover, 'fenced before the other replica took over');

  await proxy.up();
  const upAt = Date.now();
  await viewsSettle(w, both);
  t.diagnostic(`connection back: both replicas publish both members after ${Date.now() - upAt} ms`);
  const mark = Date.now();
  const third = await pushAll(w, 'v3');
  await allSynced(w, third);
  assertOwnedBy(w, w.log.filter((e) => e.start > mark), both, 'after replica-cut returned');
  assertNoOverlap(w.log);
});
