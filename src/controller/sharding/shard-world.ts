// Test support for sharding: a namespace with 12 automated Applications from a real Git repository,
// in-process controller replicas (each optionally through its own connection, e.g. a fault proxy),
// and a log of which replica reconciled which Application when.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkingCopy } from '../../dev/git/repos.js';
import { FJORD } from '../../api/flavor.js';
import { install } from '../../install/install.js';
import { KubeClient, type KubeObject } from '../../kube/client.js';
import type { ClusterAccess } from '../../kube/kubeconfig.js';
import { createLogger } from '../../util/log.js';
import { defer } from '../../testing/cleanup.js';
import { testKube, testNamespace } from '../../testing/cluster.js';
import { startGitRepo } from '../../testing/git.js';
import { eventually } from '../../testing/wait.js';
import { DEFAULT_CONFIG, type ControllerConfig } from '../config.js';
import { ControllerManager } from '../manager.js';
import type { ShardSettings } from './shard.js';
import { leasesPath, leaseRecord, MEMBER_LABEL } from './lease.js';
import { ownerOf } from './ring.js';

export interface Reconciled { replica: string; app: string; start: number; end: number }

export interface Replica { id: string; manager: ControllerManager; warnings: { at: number; msg: string }[] }

export interface World {
  kube: KubeClient;
  ns: string;
  dest: string;
  repo: WorkingCopy;
  repoURL: string;
  log: Reconciled[];
  /** Starts a replica (through `access` when given) and records its reconciles and warnings. */
  start(shard?: ShardSettings, access?: ClusterAccess, config?: Partial<ControllerConfig>): Promise<Replica>;
}

export const LEASE_MS = 6000;
// Unique per test process: tracking IDs carry the Application's name, so two sharding tests running at
// once on the same cluster must not share names (each would see the other's objects as its own).
const RUN = randomBytes(2).toString('hex');
export const apps = Array.from({ length: 12 }, (_, i) => `app-${RUN}-${String(i).padStart(2, '0')}`);
export const keyOf = (ns: string, app: string): string => `${ns}/${app}`;
const configMap = (app: string, version: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}\ndata:\n  version: "${version}"\n`;

export async function world(t: TestContext): Promise<World> {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'shard');
  const dest = await testNamespace(t, kube, 'dest');
  await install(kube, FJORD);
  const { repoURL, repo } = await startGitRepo(t, 'org/config.git');
  const log: Reconciled[] = [];
  const start = async (shard?: ShardSettings, access?: ClusterAccess, config?: Partial<ControllerConfig>): Promise<Replica> => {
    const client = new KubeClient(access ?? kube.access);
    const warnings: { at: number; msg: string }[] = [];
    const cacheDir = mkdtempSync(join(tmpdir(), 'fjord-shard-'));
    let id = shard?.replicaId ?? '';
    const write = (line: string): void => {
      if (process.env['FJORD_TEST_LOG']) process.stderr.write(`[${id}] ${line}\n`);
      const e = JSON.parse(line) as { msg: string; level: string; app?: string; durationMs?: number; replica?: string };
      if (e.level === 'warn') warnings.push({ at: Date.now(), msg: e.msg });
      if (e.msg === 'controller started' && e.replica) id = e.replica;
      if (e.msg === 'reconciled' && e.app) log.push({ replica: id, app: e.app, start: Date.now() - (e.durationMs ?? 0), end: Date.now() });
    };
    const manager = await ControllerManager.start({
      kube: client, flavor: FJORD, namespace: ns, cacheDir, log: createLogger({ format: 'json', level: 'debug', write }),
      config: { ...DEFAULT_CONFIG, pollIntervalMs: 500, reconciliationMs: 60_000, ...config }, ...(shard ? { shard } : {}),
    });
    defer(t, async () => { await manager.stop(); await client.close(); rmSync(cacheDir, { recursive: true, force: true }); });
    return { id, manager, warnings };
  };
  return { kube, ns, dest, repo, repoURL, log, start };
}

/** Waits until every listed replica's Lease publishes exactly `members` as its view. */
export async function viewsSettle(w: World, members: string[]): Promise<void> {
  const want = JSON.stringify([...members].sort());
  await eventually(`every replica publishes the view ${want}`, async () => {
    const list = await w.kube.get<{ items: KubeObject[] }>(leasesPath(w.ns), { query: { labelSelector: `${MEMBER_LABEL}=true` } });
    const views = new Map(list.items.map(leaseRecord).filter((r) => r !== undefined).map((r) => [r.holder, JSON.stringify(r.view)]));
    return members.every((m) => views.get(m) === want) ? true : undefined;
  }, 30_000);
}

export async function pushAll(w: World, version: string): Promise<string> {
  w.repo.write(Object.fromEntries(apps.map((a) => [`apps/${a}/cm.yaml`, configMap(a, version)])));
  const sha = await w.repo.commit(`all apps: ${version}`);
  await w.repo.push();
  return sha;
}

export async function allSynced(w: World, revision: string, timeoutMs = 90_000): Promise<void> {
  await eventually(`all ${apps.length} Applications Synced at ${revision.slice(0, 7)}`, async () => {
    const list = await w.kube.get<{ items: KubeObject[] }>(`/apis/${FJORD.group}/${FJORD.version}/namespaces/${w.ns}/applications`);
    const done = list.items.filter((a) => {
      const s = a['status'] as { sync?: { status?: string; revision?: string } } | undefined;
      return s?.sync?.status === 'Synced' && s.sync.revision === revision;
    });
    return done.length === apps.length ? true : undefined;
  }, timeoutMs);
}

export async function createApps(w: World): Promise<void> {
  for (const name of apps) {
    await w.kube.create(`/apis/${FJORD.group}/${FJORD.version}/namespaces/${w.ns}/applications`, {
      apiVersion: `${FJORD.group}/${FJORD.version}`, kind: 'Application', metadata: { name, namespace: w.ns },
      spec: { project: 'default', source: { repoURL: w.repoURL, targetRevision: 'main', path: `apps/${name}` }, destination: { server: 'https://kubernetes.default.svc', namespace: w.dest }, syncPolicy: { automated: { prune: true, selfHeal: true } } },
    });
  }
}

/** No two replicas ever reconciled the same Application at overlapping times. */
export function assertNoOverlap(log: Reconciled[]): void {
  for (const a of log) {
    for (const b of log) {
      if (a.app === b.app && a.replica !== b.replica) assert.ok(a.end < b.start || b.end < a.start, `${a.app} reconciled by ${a.replica} and ${b.replica} at once`);
    }
  }
}

/** The replicas that reconciled each app in `entries`. */
export function reconcilersByApp(entries: Reconciled[]): Map<string, Set<string>> {
  const by = new Map<string, Set<string>>();
  for (const e of entries) by.set(e.app, (by.get(e.app) ?? new Set()).add(e.replica));
  return by;
}

export function assertOwnedBy(w: World, entries: Reconciled[], members: string[], what: string): void {
  const by = reconcilersByApp(entries);
  for (const app of apps) {
    const key = keyOf(w.ns, app);
    assert.deepEqual([...(by.get(key) ?? [])], [ownerOf(key, members)], `${what}: ${key} reconciled by ${[...(by.get(key) ?? [])].join(', ') || 'nobody'}`);
  }
}

