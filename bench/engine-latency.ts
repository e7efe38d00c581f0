// Measures the engine's user-visible latencies on a real local cluster and a real Git server, with
// the controller in-process at its default settings (revision poll every 3 s, no webhook):
//   1. push-to-applied: `git push` returning → the new ConfigMap value visible in the API server;
//   2. drift-to-reverted: a manual scale, edit or delete returning → the object back at Git's state.
// Prints a table (n, p50, p95, max) against the targets and writes bench/results/engine-latency.json.
// The benchmark watches the destination namespace itself (its own client): that is the stopwatch.
//   node --import tsx bench/engine-latency.ts [--commits N] [--drifts N] [--poll-interval 3s] [--max-minutes M]
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { FJORD } from '../src/api/flavor.js';
import { DEFAULT_CONFIG, parseDuration } from '../src/controller/config.js';
import { ControllerManager } from '../src/controller/manager.js';
import { clusterDown, clusterUp } from '../src/dev/cluster/cluster.js';
import { GitHttpServer } from '../src/dev/git/http-server.js';
import { createBareRepo, WorkingCopy } from '../src/dev/git/repos.js';
import { install } from '../src/install/install.js';
import { KubeClient, type KubeObject } from '../src/kube/client.js';
import { createInformer, type Informer } from '../src/kube/watch.js';
import { createLogger, type Fields, type Logger } from '../src/util/log.js';
import { deploymentYaml as sharedDeploymentYaml } from '../src/testing/manifests.js';
import { EventLog, type Check, type SeenEvent } from './lib/event-log.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const NS = 'bench';
const APP = 'latency';
const APP_PATH = 'apps/latency';
const OBJECTS = 10; // ConfigMaps and as many Deployments
const GIT_REPLICAS = 2;
const DRIFT_REPLICAS = 4;
const PUSH_TIMEOUT_MS = 60_000;
const DRIFT_TIMEOUT_MS = 30_000;
const SETTLE_TIMEOUT_MS = 60_000;
/**
 * A drift never hits an object changed by hand in the last 35 s: Fjord backs off self-heal of an
 * object whose drift keeps coming back (counter reset after 30 s), and that deliberate slow-down of a
 * fight is not what "a manual change is reverted" measures.
 */
const REUSE_GAP_MS = 35_000;
/** The targets of the issue: p50 of each scenario. */
const TARGETS = { push: 5000, drift: 1000 } as const;

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  readonly commits: number;
  readonly drifts: number;
  readonly pollIntervalMs: number;
  readonly maxMinutes: number;
}

function parseOptions(argv: readonly string[]): Options {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const value = argv[i + 1];
    if (!['--commits', '--drifts', '--poll-interval', '--max-minutes'].includes(flag) || value === undefined) {
      throw new Error(`usage: node --import tsx bench/engine-latency.ts [--commits N] [--drifts N] [--poll-interval 3s] [--max-minutes M] (got "${argv.join(' ')}")`);
    }
    values.set(flag, value);
  }
  const count = (flag: string, fallback: number, max: number): number => {
    const raw = values.get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${flag} ${raw}: an integer from 1 to ${max}`);
    return n;
  };
  const rawInterval = values.get('--poll-interval');
  const pollIntervalMs = rawInterval === undefined ? DEFAULT_CONFIG.pollIntervalMs : parseDuration(rawInterval);
  if (pollIntervalMs === undefined || pollIntervalMs < 100 || pollIntervalMs > 60_000) throw new Error(`--poll-interval ${rawInterval ?? ''}: a duration from 100ms to 60s (e.g. 3s)`);
  return { commits: count('--commits', 20, 500), drifts: count('--drifts', 20, 500), pollIntervalMs, maxMinutes: count('--max-minutes', 20, 240) };
}

// ---------------------------------------------------------------------------------------------
// The stopwatch: every watch event on the destination's ConfigMaps and Deployments, time-stamped on
// arrival, and waiters that resolve with the arrival time of the first event that satisfies them.

interface ReconcileRecord { readonly start: number; readonly end: number; readonly revision: string | undefined }

function tapLogger(inner: Logger, onEntry: (msg: string, fields: Fields) => void, base: Fields = {}): Logger {
  return {
    info: (m, f) => { onEntry(m, { ...base, ...f }); inner.info(m, f); },
    warn: (m, f) => { onEntry(m, { ...base, ...f }); inner.warn(m, f); },
    error: (m, f) => { onEntry(m, { ...base, ...f }); inner.error(m, f); },
    debug: (m, f) => { onEntry(m, { ...base, ...f }); inner.debug(m, f); },
    child: (fields) => tapLogger(inner.child(fields), onEntry, { ...base, ...fields }),
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics

interface Sample {
  readonly scenario: 'push' | 'drift';
  readonly kind: 'commit' | 'scale' | 'edit' | 'delete';
  readonly object: string;
  /** Latency in ms; null when the object never reached the expected state within the timeout. */
  readonly ms: number | null;
  /** From the change to the start of the reconcile that acted on it (poll wait or watch wake-up). */
  readonly toReconcileStartMs: number | null;
  /** Delay before the change: random within one poll interval (push), or the wait before reusing an object (drift). */
  readonly delayBeforeMs: number;
  readonly appHealthAfter: string | undefined;
}

interface Summary {
  readonly scenario: string;
  readonly n: number;
  readonly timeouts: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
  readonly min: number | null;
  readonly toReconcileStartP50: number | null;
  readonly target?: { readonly p50Ms: number; readonly met: boolean };
}

/** Nearest-rank percentile of sorted values; a timeout counts as +Infinity and is reported as null. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return v === undefined || !Number.isFinite(v) ? null : Math.round(v);
}

function summarize(scenario: string, samples: readonly Sample[], targetMs?: number): Summary {
  const values = samples.map((s) => s.ms ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const starts = samples.map((s) => s.toReconcileStartMs ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const p50 = percentile(values, 50);
  return {
    scenario, n: samples.length, timeouts: samples.filter((s) => s.ms === null).length,
    p50, p95: percentile(values, 95), max: percentile(values, 100), min: percentile(values, 0),
    toReconcileStartP50: percentile(starts, 50),
    ...(targetMs !== undefined ? { target: { p50Ms: targetMs, met: samples.length > 0 && p50 !== null && p50 <= targetMs } } : {}),
  };
}

function printTable(rows: readonly Summary[]): void {
  const cell = (v: number | null): string => (v === null ? 'timeout' : String(v));
  const header = ['scenario', 'n', 'p50', 'p95', 'max', 'timeouts', 'wait p50', 'target', 'result'];
  const lines = rows.map((r) => [
    r.scenario, String(r.n), cell(r.p50), cell(r.p95), cell(r.max), String(r.timeouts), cell(r.toReconcileStartP50),
    r.target ? `p50 <= ${r.target.p50Ms}` : '', r.target ? (r.target.met ? 'met' : 'MISSED') : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cols: readonly string[]): string => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  process.stdout.write(`\n${fmt(header)}   (ms)\n${fmt(widths.map((w) => '-'.repeat(w)))}\n${lines.map(fmt).join('\n')}\n`);
  process.stdout.write('wait = from the change to the start of the reconcile that applied it (poll wait, or watch wake-up;\n'
    + '       negative when the controller, in this process, saw the watch event before the benchmark saw its own reply)\n');
}

// ---------------------------------------------------------------------------------------------
// The configuration repository: 10 ConfigMaps and 10 Deployments in one directory.

const pad = (i: number): string => String(i).padStart(2, '0');
const cmName = (i: number): string => `cm-${pad(i % OBJECTS)}`;
const depName = (i: number): string => `web-${pad(i % OBJECTS)}`;

const configMapYaml = (name: string, value: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  value: "${value}"
`;

const deploymentYaml = (name: string): string => sharedDeploymentYaml(name, GIT_REPLICAS);

// ---------------------------------------------------------------------------------------------
// The run

interface AppStatusView { sync?: { status?: string; revision?: string }; health?: { status?: string }; operationState?: { phase?: string } }

interface Bench {
  readonly kube: KubeClient;
  readonly manager: ControllerManager;
  readonly repo: WorkingCopy;
  readonly events: EventLog;
  readonly cms: Informer;
  readonly reconciles: ReconcileRecord[];
  readonly gitValues: Map<string, string>;
  readonly deadline: number;
  /** When each object was last changed by hand (performance.now()). */
  readonly lastDrift: Map<string, number>;
  head: string;
}

const appUrl = `/apis/${FJORD.group}/${FJORD.version}/namespaces/${FJORD.namespace}/applications/${APP}`;
const cmUrl = (name: string): string => `/api/v1/namespaces/${NS}/configmaps/${name}`;
const depUrl = (name: string): string => `/apis/apps/v1/namespaces/${NS}/deployments/${name}`;

function progress(line: string): void {
  process.stdout.write(`${line}\n`);
}

function rv(obj: KubeObject): bigint {
  const v = obj.metadata?.resourceVersion;
  return v && /^\d+$/.test(v) ? BigInt(v) : 0n;
}

const nameOf = (e: SeenEvent): string | undefined => e.obj.metadata?.name;
const kindOf = (e: SeenEvent): string | undefined => e.obj.kind;
const dataValue = (obj: KubeObject): unknown => (obj['data'] as Record<string, unknown> | undefined)?.['value'];
const specReplicas = (obj: KubeObject): unknown => (obj['spec'] as Record<string, unknown> | undefined)?.['replicas'];

async function appStatus(b: Pick<Bench, 'kube'>): Promise<AppStatusView | undefined> {
  const app = await b.kube.getOrUndefined(appUrl);
  return app?.['status'] as AppStatusView | undefined;
}

/** Polls the Application (a measuring-tool GET, between samples only) until `ok`. */
async function waitForApp(b: Pick<Bench, 'kube'>, what: string, ok: (s: AppStatusView) => boolean, timeoutMs = SETTLE_TIMEOUT_MS): Promise<AppStatusView> {
  const end = Date.now() + timeoutMs;
  let last: AppStatusView | undefined;
  while (Date.now() < end) {
    last = await appStatus(b);
    if (last && ok(last)) return last;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last status: ${JSON.stringify(last)}`);
}

/** Until every Deployment of the set has all its replicas updated and available (from the benchmark's own watch cache). */
async function waitForDeployments(deps: Informer, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  const available = (d: KubeObject): boolean => {
    const st = (d['status'] ?? {}) as { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number };
    const gen = d.metadata?.['generation'];
    return typeof gen === 'number' && (st.observedGeneration ?? 0) >= gen && st.updatedReplicas === GIT_REPLICAS && st.availableReplicas === GIT_REPLICAS;
  };
  while (Date.now() < end) {
    if (deps.list().filter(available).length === OBJECTS) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${OBJECTS} Deployments to be available`);
}

/** Between samples: the Application synced at HEAD, the queue empty, a quiet second; returns the health it then reports. */
async function settle(b: Bench): Promise<string | undefined> {
  await waitForApp(b, `Synced at ${b.head.slice(0, 8)}`, (x) => x.sync?.status === 'Synced' && x.sync.revision === b.head && x.operationState?.phase !== 'Running');
  await b.manager.idle();
  await sleep(1000);
  await b.manager.idle();
  return (await appStatus(b))?.health?.status;
}

/** The first reconcile that started at or after `from` (and, for a commit, saw that revision). */
function reconcileStartAfter(b: Bench, from: number, revision?: string): number | null {
  const r = b.reconciles.find((x) => x.start >= from - 5 && (revision === undefined || x.revision === revision));
  return r ? Math.round(r.start - from) : null;
}

async function measurePush(b: Bench, i: number, pollIntervalMs: number): Promise<Sample> {
  const name = cmName(i);
  const value = `commit-${i + 1}-${Math.random().toString(36).slice(2, 8)}`;
  const delay = Math.round(Math.random() * pollIntervalMs);
  await sleep(delay);
  b.repo.write({ [`${APP_PATH}/${name}.yaml`]: configMapYaml(name, value) });
  const sha = await b.repo.commit(`${name}: ${value}`);
  const mark = b.events.mark();
  await b.repo.push();
  const pushed = performance.now();
  const at = await b.events.waitFor(mark, (e) => kindOf(e) === 'ConfigMap' && nameOf(e) === name && e.type !== 'DELETED' && dataValue(e.obj) === value, PUSH_TIMEOUT_MS);
  b.gitValues.set(name, value);
  b.head = sha;
  const health = await settle(b);
  return {
    scenario: 'push', kind: 'commit', object: `ConfigMap/${name}`, ms: at === undefined ? null : Math.round(at - pushed),
    toReconcileStartMs: reconcileStartAfter(b, pushed, sha), delayBeforeMs: delay, appHealthAfter: health,
  };
}

type DriftKind = 'scale' | 'edit' | 'delete';

/** The object the i-th drift changes: scales walk web-00, 01…; edits cm-00, 01…; deletes the ConfigMaps after the edited ones. */
function driftTarget(i: number, drifts: number): { kind: DriftKind; object: string } {
  const kinds: readonly DriftKind[] = ['scale', 'edit', 'delete'];
  const kind = kinds[i % kinds.length] ?? 'scale';
  const k = Math.floor(i / kinds.length);
  if (kind === 'scale') return { kind, object: depName(k) };
  return { kind, object: cmName(kind === 'edit' ? k : Math.ceil(drifts / kinds.length) + k) };
}

/** Makes the manual change; returns when its API call has returned, with the check for "back at Git". */
async function drift(b: Bench, kind: DriftKind, name: string, i: number): Promise<{ object: string; check: Check }> {
  switch (kind) {
    case 'scale': {
      const scale = await b.kube.request('PATCH', `${depUrl(name)}/scale`, { body: { spec: { replicas: DRIFT_REPLICAS } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'kubectl-scale' } });
      const after = rv(scale);
      return { object: `Deployment/${name}`, check: (e) => kindOf(e) === 'Deployment' && nameOf(e) === name && e.type !== 'DELETED' && rv(e.obj) > after && specReplicas(e.obj) === GIT_REPLICAS };
    }
    case 'edit': {
      const edited = await b.kube.request('PATCH', cmUrl(name), { body: { data: { value: `edited-by-hand-${i}` } }, contentType: 'application/strategic-merge-patch+json', query: { fieldManager: 'kubectl-edit' } });
      const after = rv(edited);
      const want = b.gitValues.get(name);
      return { object: `ConfigMap/${name}`, check: (e) => kindOf(e) === 'ConfigMap' && nameOf(e) === name && e.type !== 'DELETED' && rv(e.obj) > after && dataValue(e.obj) === want };
    }
    case 'delete': {
      const uid = b.cms.get(NS, name)?.metadata?.['uid'];
      if (typeof uid !== 'string') throw new Error(`ConfigMap ${NS}/${name} is not in the benchmark's watch cache`);
      await b.kube.delete(cmUrl(name));
      const want = b.gitValues.get(name);
      return { object: `ConfigMap/${name}`, check: (e) => kindOf(e) === 'ConfigMap' && nameOf(e) === name && e.type !== 'DELETED' && e.obj.metadata?.['uid'] !== uid && dataValue(e.obj) === want };
    }
  }
}

async function measureDrift(b: Bench, i: number, drifts: number): Promise<Sample> {
  const target = driftTarget(i, drifts);
  const last = b.lastDrift.get(target.object);
  const wait = last === undefined ? 0 : Math.max(0, Math.round(last + REUSE_GAP_MS - performance.now()));
  if (wait > 0) await sleep(wait);
  const mark = b.events.mark();
  const { object, check } = await drift(b, target.kind, target.object, i);
  const changed = performance.now();
  b.lastDrift.set(target.object, changed);
  const kind = target.kind;
  const at = await b.events.waitFor(mark, check, DRIFT_TIMEOUT_MS);
  const health = await settle(b);
  return {
    scenario: 'drift', kind, object, ms: at === undefined ? null : Math.round(at - changed),
    toReconcileStartMs: reconcileStartAfter(b, changed), delayBeforeMs: wait, appHealthAfter: health,
  };
}

/** The commit measured, and the files that differed from it (the working tree is what runs). */
function codeVersion(): { head: string; modified: string[] } {
  const run = (args: string[]): string => { try { return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { return ''; } };
  return { head: run(['rev-parse', 'HEAD']), modified: run(['status', '--porcelain', '--', 'src']).split('\n').filter((l) => l !== '') };
}

function machine(): Record<string, unknown> {
  const cpu = cpus();
  return {
    cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version, platform: `${process.platform} ${process.arch}`,
  };
}

async function createApplication(kube: KubeClient, repoURL: string): Promise<void> {
  await kube.create(`/apis/${FJORD.group}/${FJORD.version}/namespaces/${FJORD.namespace}/applications`, {
    apiVersion: `${FJORD.group}/${FJORD.version}`, kind: 'Application', metadata: { name: APP, namespace: FJORD.namespace },
    spec: {
      project: 'default',
      source: { repoURL, targetRevision: 'main', path: APP_PATH },
      destination: { server: 'https://kubernetes.default.svc', namespace: NS },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  });
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const load = { start: loadavg().map((x) => Number(x.toFixed(2))), end: [] as number[] };
  const clusterName = `bench-engine-${process.pid}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logFile = join(RESULTS_DIR, 'engine-latency.controller.log');
  const logStream = createWriteStream(logFile, { flags: 'w' });
  const scratch = mkdtempSync(join(tmpdir(), 'fjord-bench-engine-'));
  const cleanups: (() => Promise<void> | void)[] = [];
  let cleaned: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    cleaned ??= (async () => {
      for (const fn of cleanups.reverse()) {
        try { await fn(); } catch (e) { process.stderr.write(`cleanup: ${(e as Error).message}\n`); }
      }
    })();
    return cleaned;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping the controller, the Git server and cluster ${clusterName}\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  cleanups.push(() => { rmSync(scratch, { recursive: true, force: true }); });
  cleanups.push(() => new Promise<void>((resolve) => { logStream.end(resolve); }));
  cleanups.push(async () => { progress(`stopping cluster ${clusterName}`); await clusterDown(clusterName); });
  try {
    progress(`starting cluster ${clusterName} (poll interval ${opts.pollIntervalMs} ms, ${opts.commits} commits, ${opts.drifts} drifts, at most ${opts.maxMinutes} min)`);
    const t0 = performance.now();
    const state = await clusterUp({ name: clusterName });
    const clusterStartS = Number(((performance.now() - t0) / 1000).toFixed(1));
    const kube = KubeClient.fromKubeconfig(state.kubeconfig);
    cleanups.push(() => kube.close());
    await install(kube, FJORD);
    await kube.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });

    const gitRoot = join(scratch, 'git');
    mkdirSync(gitRoot);
    await createBareRepo(gitRoot, 'org/config.git');
    const git = await GitHttpServer.start({ root: gitRoot });
    cleanups.push(() => git.stop());
    const repoURL = git.url('org/config.git');
    const repo = await WorkingCopy.clone(repoURL);
    cleanups.push(() => { repo.remove(); });
    const gitValues = new Map<string, string>();
    const files: Record<string, string> = {};
    for (let i = 0; i < OBJECTS; i++) {
      gitValues.set(cmName(i), 'initial');
      files[`${APP_PATH}/${cmName(i)}.yaml`] = configMapYaml(cmName(i), 'initial');
      files[`${APP_PATH}/${depName(i)}.yaml`] = deploymentYaml(depName(i));
    }
    const first = await repo.write(files).commit(`${OBJECTS} ConfigMaps and ${OBJECTS} Deployments`);
    await repo.push();

    const events = new EventLog();
    const cms = createInformer(kube, { path: `/api/v1/namespaces/${NS}/configmaps`, onEvent: (t, o) => { events.record(t, { kind: 'ConfigMap', ...o }); } });
    const deps = createInformer(kube, { path: `/apis/apps/v1/namespaces/${NS}/deployments`, onEvent: (t, o) => { events.record(t, { kind: 'Deployment', ...o }); } });
    for (const inf of [cms, deps]) { inf.start(); cleanups.push(() => inf.stop()); }
    await Promise.all([cms.synced(), deps.synced()]);

    const reconciles: ReconcileRecord[] = [];
    const text = createLogger({ format: 'text', level: 'info', write: (line) => { logStream.write(`${line}\n`); } });
    const log = tapLogger(text, (msg, f) => {
      if (msg !== 'reconciled' || typeof f['durationMs'] !== 'number') return;
      const end = performance.now();
      reconciles.push({ start: end - f['durationMs'], end, revision: typeof f['revision'] === 'string' ? f['revision'] : undefined });
      if (reconciles.length > 10_000) reconciles.splice(0, 5000);
    });
    const ctrlKube = new KubeClient(kube.access);
    cleanups.push(() => ctrlKube.close());
    const cacheDir = join(scratch, 'cache');
    const manager = await ControllerManager.start({ kube: ctrlKube, flavor: FJORD, cacheDir, log, config: { ...DEFAULT_CONFIG, pollIntervalMs: opts.pollIntervalMs } });
    cleanups.push(() => manager.stop());

    const tApp = performance.now();
    const seconds = (): number => Number(((performance.now() - tApp) / 1000).toFixed(1));
    await createApplication(kube, repoURL);
    const [syncedS, deploymentsAvailableS, healthyS] = await Promise.all([
      waitForApp({ kube }, 'Synced at the first commit', (s) => s.sync?.status === 'Synced' && s.sync.revision === first, 240_000).then(seconds),
      waitForDeployments(deps, 240_000).then(seconds),
      waitForApp({ kube }, 'Synced and Healthy at the first commit', (s) => s.sync?.status === 'Synced' && s.health?.status === 'Healthy' && s.sync.revision === first, 240_000).then(seconds),
    ]);
    const firstSync = { syncedS, deploymentsAvailableS, healthyS };
    progress(`cluster up in ${clusterStartS} s; after creating the Application: Synced ${syncedS} s, all Deployments available ${deploymentsAvailableS} s, Application Healthy ${healthyS} s`);

    const b: Bench = { kube, manager, repo, events, cms, reconciles, gitValues, deadline: Date.now() + opts.maxMinutes * 60_000, lastDrift: new Map(), head: first };
    await settle(b);
    const samples: Sample[] = [];
    let truncated = false;
    let aborted: string | undefined;
    try {
      for (let i = 0; i < opts.commits; i++) {
        if (Date.now() > b.deadline) { truncated = true; break; }
        const s = await measurePush(b, i, opts.pollIntervalMs);
        samples.push(s);
        progress(`push ${String(i + 1).padStart(2)}/${opts.commits}  ${s.object.padEnd(22)} ${s.ms === null ? 'TIMEOUT' : `${s.ms} ms`}  (reconcile started after ${s.toReconcileStartMs ?? '?'} ms)`);
      }
      for (let i = 0; i < opts.drifts && !truncated; i++) {
        if (Date.now() > b.deadline) { truncated = true; break; }
        const s = await measureDrift(b, i, opts.drifts);
        samples.push(s);
        const waited = s.delayBeforeMs > 0 ? `; waited ${s.delayBeforeMs} ms before reusing the object` : '';
        progress(`drift ${String(i + 1).padStart(2)}/${opts.drifts} ${s.kind.padEnd(6)} ${s.object.padEnd(22)} ${s.ms === null ? 'TIMEOUT' : `${s.ms} ms`}  (reconcile started after ${s.toReconcileStartMs ?? '?'} ms; app health after: ${s.appHealthAfter ?? '?'}${waited})`);
      }
    } catch (e) {
      aborted = (e as Error).message;
      process.exitCode = 1;
    }
    load.end = loadavg().map((x) => Number(x.toFixed(2)));

    const pushes = samples.filter((s) => s.scenario === 'push');
    const drifts = samples.filter((s) => s.scenario === 'drift');
    const rows = [
      summarize('push-to-applied (polling only)', pushes, TARGETS.push),
      summarize('drift-to-reverted (all)', drifts, TARGETS.drift),
      ...(['scale', 'edit', 'delete'] as const).map((k) => summarize(`  drift: ${k}`, drifts.filter((s) => s.kind === k))),
    ];
    printTable(rows);
    for (const r of rows.filter((x) => x.target && !x.target.met)) {
      progress(`MISSED: ${r.scenario.trim()}: p50 ${r.p50 === null ? 'timeout' : `${r.p50} ms`} > target ${r.target?.p50Ms ?? 0} ms`);
    }
    if (aborted !== undefined) progress(`ABORTED after ${samples.length} samples: ${aborted}`);
    if (truncated) progress(`stopped early: the --max-minutes ${opts.maxMinutes} budget ran out (n is below what was asked)`);
    const out = join(RESULTS_DIR, 'engine-latency.json');
    writeFileSync(out, `${JSON.stringify({
      startedAt, finishedAt: new Date().toISOString(), command: `node --import tsx bench/engine-latency.ts ${process.argv.slice(2).join(' ')}`.trim(),
      options: opts, machine: machine(), loadAverage: load, percentileMethod: 'nearest rank; a timeout counts as +infinity and prints as null',
      setup: { resources: `${OBJECTS} ConfigMaps + ${OBJECTS} Deployments (${GIT_REPLICAS} replicas) in one directory`, syncPolicy: { automated: { prune: true, selfHeal: true } }, clusterStartS, firstSync },
      targets: { pushToAppliedP50Ms: TARGETS.push, driftToRevertedP50Ms: TARGETS.drift },
      code: codeVersion(), truncated, ...(aborted !== undefined ? { aborted } : {}), summary: rows.map((r) => ({ ...r, scenario: r.scenario.trim() })), samples,
    }, null, 2)}\n`);
    progress(`\nresults: ${out}\ncontroller log: ${logFile}`);
  } finally {
    await cleanup();
  }
}

await main();
