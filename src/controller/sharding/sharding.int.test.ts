// Controller replicas share the Applications of one namespace through Leases: each app is reconciled
// by exactly one replica, never by two at once; a replica that dies without releasing its lease has
// its apps picked up within the lease duration; a joining replica takes only its share; and two
// replicas started with defaults shard by themselves.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkingCopy } from '../../dev/git/repos.js';
import { FJORD } from '../../api/flavor.js';
import { install } from '../../install/install.js';
import { KubeClient, type KubeObject } from '../../kube/client.js';
import { createLogger } from '../../util/log.js';
import { defer } from '../../testing/cleanup.js';
import { testKube, testNamespace } from '../../testing/cluster.js';
import { startGitFixture } from '../../testing/git.js';
import { eventually } from '../../testing/wait.js';
import { DEFAULT_CONFIG } from '../config.js';
import { ControllerManager } from '../manager.js';
import type { ShardSettings } from './shard.js';
import { leasesPath, leaseRecord, MEMBER_LABEL } from './lease.js';
import { ownerOf } from './ring.js';

interface Reconciled { replica: string; app: string; start: number; end: number }

interface Replica { id: string; manager: ControllerManager }

interface World {
  kube: KubeClient;
  ns: string;
  dest: string;
  repo: WorkingCopy;
  repoURL: string;
  log: Reconciled[];
  start(shard?: ShardSettings): Promise<Replica>;
}

const LEASE_MS = 6000;
const apps = Array.from({ length: 12 }, (_, i) => `app-${String(i).padStart(2, '0')}`);
const keyOf = (ns: string, app: string): string => `${ns}/${app}`;
const configMap = (app: string, version: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}\ndata:\n  version: "${version}"\n`;

async function world(t: TestContext): Promise<World> {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'shard');
  const dest = await testNamespace(t, kube, 'dest');
  await install(kube, FJORD);
  const git = await startGitFixture(t);
  await git.createRepo('org/config.git');
  const repoURL = git.http.url('org/config.git');
  const repo = await WorkingCopy.clone(repoURL);
  defer(t, () => { repo.remove(); });
  const log: Reconciled[] = [];
  const start = async (shard?: ShardSettings): Promise<Replica> => {
    const client = new KubeClient(kube.access);
    const cacheDir = mkdtempSync(join(tmpdir(), 'fjord-shard-'));
    let id = shard?.replicaId ?? '';
    const write = (line: string): void => {
      const e = JSON.parse(line) as { msg: string; app?: string; durationMs?: number; replica?: string };
      if (e.msg === 'controller started' && e.replica) id = e.replica;
      if (e.msg === 'reconciled' && e.app) log.push({ replica: id, app: e.app, start: Date.now() - (e.durationMs ?? 0), end: Date.now() });
    };
    const manager = await ControllerManager.start({
      kube: client, flavor: FJORD, namespace: ns, cacheDir, log: createLogger({ format: 'json', write }),
      config: { ...DEFAULT_CONFIG, pollIntervalMs: 500, reconciliationMs: 60_000 }, ...(shard ? { shard } : {}),
    });
    defer(t, async () => { await manager.stop(); await client.close(); rmSync(cacheDir, { recursive: true, force: true }); });
    return { id, manager };
  };
  return { kube, ns, dest, repo, repoURL, log, start };
}

/** Waits until every listed replica's Lease publishes exactly `members` as its view. */
async function viewsSettle(w: World, members: string[]): Promise<void> {
  const want = JSON.stringify([...members].sort());
  await eventually(`every replica publishes the view ${want}`, async () => {
    const list = await w.kube.get<{ items: KubeObject[] }>(leasesPath(w.ns), { query: { labelSelector: `${MEMBER_LABEL}=true` } });
    const views = new Map(list.items.map(leaseRecord).filter((r) => r !== undefined).map((r) => [r.holder, JSON.stringify(r.view)]));
    return members.every((m) => views.get(m) === want) ? true : undefined;
  }, 30_000);
}

async function pushAll(w: World, version: string): Promise<string> {
  w.repo.write(Object.fromEntries(apps.map((a) => [`apps/${a}/cm.yaml`, configMap(a, version)])));
  const sha = await w.repo.commit(`all apps: ${version}`);
  await w.repo.push();
  return sha;
}

async function allSynced(w: World, revision: string, timeoutMs = 45_000): Promise<void> {
  await eventually(`all ${apps.length} Applications Synced at ${revision.slice(0, 7)}`, async () => {
    const list = await w.kube.get<{ items: KubeObject[] }>(`/apis/${FJORD.group}/${FJORD.version}/namespaces/${w.ns}/applications`);
    const done = list.items.filter((a) => {
      const s = a['status'] as { sync?: { status?: string; revision?: string } } | undefined;
      return s?.sync?.status === 'Synced' && s.sync.revision === revision;
    });
    return done.length === apps.length ? true : undefined;
  }, timeoutMs);
}

async function createApps(w: World): Promise<void> {
  for (const name of apps) {
    await w.kube.create(`/apis/${FJORD.group}/${FJORD.version}/namespaces/${w.ns}/applications`, {
      apiVersion: `${FJORD.group}/${FJORD.version}`, kind: 'Application', metadata: { name, namespace: w.ns },
      spec: { project: 'default', source: { repoURL: w.repoURL, targetRevision: 'main', path: `apps/${name}` }, destination: { server: 'https://kubernetes.default.svc', namespace: w.dest }, syncPolicy: { automated: { prune: true, selfHeal: true } } },
    });
  }
}

/** No two replicas ever reconciled the same Application at overlapping times. */
function assertNoOverlap(log: Reconciled[]): void {
  for (const a of log) {
    for (const b of log) {
      if (a.app === b.app && a.replica !== b.replica) assert.ok(a.end < b.start || b.end < a.start, `${a.app} reconciled by ${a.replica} and ${b.replica} at once`);
    }
  }
}

/** The replicas that reconciled each app in `entries`. */
function reconcilersByApp(entries: Reconciled[]): Map<string, Set<string>> {
  const by = new Map<string, Set<string>>();
  for (const e of entries) by.set(e.app, (by.get(e.app) ?? new Set()).add(e.replica));
  return by;
}

function assertOwnedBy(w: World, entries: Reconciled[], members: string[], what: string): void {
  const by = reconcilersByApp(entries);
  for (const app of apps) {
    const key = keyOf(w.ns, app);
    assert.deepEqual([...(by.get(key) ?? [])], [ownerOf(key, members)], `${what}: ${key} reconciled by ${[...(by.get(key) ?? [])].join(', ') || 'nobody'}`);
  }
}

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
  assert.ok(slowest <= LEASE_MS + 2000, `picked up after ${slowest} ms, lease ${LEASE_MS} ms`);
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
