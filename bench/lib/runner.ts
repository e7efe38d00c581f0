// The benchmark run: one fresh dev cluster per phase (the floor, Fjord, Flux, Argo CD), one local Git
// server for all of them with the same repositories, and per tool: push-to-applied and
// drift-to-reverted, cold start, steady state.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterDown, clusterUp } from '../../src/dev/cluster/cluster.js';
import { GitHttpServer } from '../../src/dev/git/http-server.js';
import { createBareRepo, git, WorkingCopy } from '../../src/dev/git/repos.js';
import { KubeClient } from '../../src/kube/client.js';
import { measureApiList, type ApiList } from './api-list.js';
import { ArgoCdUnderTest, buildArgoCd } from './argocd.js';
import { buildFlux, FluxUnderTest, type FluxSettings } from './flux.js';
import { FjordUnderTest } from './fjord.js';
import { driftSample, pushSample, settle, type DriftSample, type LatencyRig } from './latency.js';
import { apiRate, coldStart, floor, steadyState, type ColdStart, type Floor, type SteadyState } from './scale.js';
import { Stopwatch } from './stopwatch.js';
import type { ToolContext, ToolUnderTest } from './tool.js';
import { APPS_NS, LATENCY_NS, allAppFiles, latencyFiles } from './workload.js';

export interface BenchOptions {
  readonly apps: number;
  readonly resources: number;
  readonly commits: number;
  readonly drifts: number;
  readonly steadySeconds: number;
  readonly floor: boolean;
  readonly floorParallel: number;
  readonly flux: boolean;
  /** false: Flux only (e.g. to combine with an earlier Fjord run through --report). */
  readonly fjord?: boolean;
  readonly fluxCommits: number;
  readonly fluxDrifts: number;
  readonly fluxSettings: FluxSettings;
  /** Argo CD as a third tool (its controller, repo-server, API server and redis). */
  readonly argocd?: boolean;
  readonly argoCommits?: number;
  readonly argoDrifts?: number;
  readonly clusterName: string;
  readonly freshClusterPerPhase: boolean;
  readonly cpuProfile: boolean;
  readonly fjordRunArgs?: readonly string[];
  /** `fjord run` replicas sharing the Applications (default 1). */
  readonly replicas?: number;
  readonly coldTimeoutMs: number;
  /** Applications for the API list phase (its own cluster, Fjord's API server alone); 0 skips it. */
  readonly apiApps: number;
  /** Sequential requests per kind of list request. */
  readonly apiRequests: number;
  readonly root: string;
  /** Where each phase's logs (and CPU profiles) are kept. */
  readonly logDir: string;
  readonly log: (line: string) => void;
}

export interface ToolResult {
  readonly name: string;
  readonly settings: string;
  readonly cold: ColdStart;
  readonly steady: SteadyState;
  readonly baselineApiPerMinute: Record<string, number>;
  readonly repositories: number;
  readonly push: readonly (number | null)[];
  /** Push-to-applied with `POST /api/webhook` after each push; undefined when fjord run has no webhook endpoint. */
  readonly webhookPush?: readonly (number | null)[];
  readonly drift: readonly DriftSample[];
  readonly workDir: string;
  readonly notes?: readonly string[];
}

export interface BenchRun {
  readonly floor?: Floor;
  readonly api?: ApiList;
  readonly fjord?: ToolResult;
  readonly flux?: ToolResult;
  readonly argocd?: ToolResult;
  readonly errors: string[];
}

interface Shared {
  readonly git: GitHttpServer;
  readonly configURL: string;
  readonly configHead: string;
  readonly latencyRepo: WorkingCopy;
  readonly values: Map<string, string>;
  latencyHead: string;
  readonly scratch: string;
}

async function withCluster<T>(o: BenchOptions, phase: string, fn: (kube: KubeClient, kubeconfig: string, controlPlane: number[]) => Promise<T>): Promise<T> {
  const name = o.freshClusterPerPhase ? `${o.clusterName}-${phase}` : o.clusterName;
  o.log(`[${phase}] cluster ${name}: starting`);
  const state = await clusterUp({ name });
  const kube = KubeClient.fromKubeconfig(state.kubeconfig);
  try {
    return await fn(kube, state.kubeconfig, Object.values(state.pids));
  } finally {
    await kube.close();
    if (o.freshClusterPerPhase) await clusterDown(name);
  }
}

async function ensureNamespace(kube: KubeClient, name: string): Promise<void> {
  if (!await kube.getOrUndefined(`/api/v1/namespaces/${name}`)) await kube.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

interface Sampling { commits: number; drifts: number; pushTimeoutMs: number; driftTimeoutMs: number; reuseGapMs: number }

/**
 * The scenarios for one tool on its fresh cluster, in the issue's order: the latency app alone first
 * (push-to-applied by polling and by webhook, then drift), then the cold start of the N apps, then
 * the steady state with all of them. Both tools get the same order, so the latency scenarios measure
 * each tool's path from a push or a change to the cluster, not the backlog of its cold start (Flux
 * did not finish a 1,000-app cold start in 20 minutes on these 2 cores).
 */
async function measureTool(o: BenchOptions, s: Shared, kube: KubeClient, tool: ToolUnderTest, m: { controlPlane: number[]; samples: Sampling; baseline: Record<string, number>; workDir: string }): Promise<ToolResult> {
  const { samples, baseline, workDir } = m;
  const tag = `[${tool.name}]`;
  const watch = await Stopwatch.start(kube);
  try {
    await tool.createLatencyApp(latencyURL(s));
    const rig: LatencyRig = { kube, tool, repo: s.latencyRepo, watch, values: s.values, head: s.latencyHead };
    const settleStart = performance.now();
    const settled = await settle(rig, Math.max(samples.pushTimeoutMs * 2, 300_000));
    const notes = [`the latency app was ${settled ? '' : 'NOT '}ready ${((performance.now() - settleStart) / 1000).toFixed(1)} s after its creation; its scenarios ran before the cold start`];
    o.log(`${tag} ${notes[0] ?? ''}`);
    const push: (number | null)[] = [];
    for (let i = 0; i < samples.commits; i++) {
      push.push(await pushSample(rig, i, samples.pushTimeoutMs));
      o.log(`${tag} push ${i + 1}/${samples.commits}: ${push[i] ?? 'TIMEOUT'} ms`);
    }
    const webhookPush = await webhookSamples(o, tool, rig, samples.commits, samples.pushTimeoutMs);
    s.latencyHead = rig.head;
    const drift: DriftSample[] = [];
    const last = new Map<string, number>();
    for (let i = 0; i < samples.drifts; i++) {
      const d = await driftSample(rig, i, samples.driftTimeoutMs, last, samples.reuseGapMs);
      drift.push(d);
      o.log(`${tag} drift ${i + 1}/${samples.drifts} ${d.kind} ${d.object}: ${d.ms ?? 'TIMEOUT'} ms`);
    }
    o.log(`${tag} cold start: ${o.apps} apps × ${o.resources} resources`);
    const cold = await coldStart(tool, { kube, controlPlane: m.controlPlane }, o.apps, { repoURL: s.configURL, revision: s.configHead }, o.coldTimeoutMs);
    o.log(`${tag} cold start: ${cold.wallS === null ? `TIMEOUT (${cold.readyAtEnd}/${o.apps} ready)` : `${cold.wallS} s`}, CPU ${cold.cpuS} s (control plane ${cold.controlPlaneCpuS ?? '?'} s), peak RSS ${cold.peakRssMiB} MiB`);
    o.log(`${tag} cold start: API requests by resource, idle cluster included: ${JSON.stringify(cold.apiRequests)}`);
    const suspended = cold.wallS === null && tool.suspendUnready ? await tool.suspendUnready(s.configHead) : 0;
    if (suspended > 0) {
      notes.push(`${suspended} of ${o.apps} apps were not ready at the cold-start limit and were suspended before the steady state, which covers the ${o.apps - suspended} others`);
      o.log(`${tag} ${notes[1] ?? ''}`);
    }
    o.log(`${tag} steady state for ${o.steadySeconds} s`);
    if (tool instanceof FjordUnderTest) tool.toggleProfileWindow();
    const steady = await steadyState(tool, kube, s.git.requests, o.steadySeconds, baseline);
    if (tool instanceof FjordUnderTest) tool.toggleProfileWindow();
    o.log(`${tag} steady: CPU ${steady.cpuPercent}%, RSS ${steady.rssMiB} MiB, API ${JSON.stringify(steady.apiPerMinute)}/min over idle, git ${steady.gitRequestsPerMinute}/min`);
    o.log(`${tag} steady: API requests per minute by resource, idle cluster included: ${JSON.stringify(steady.apiPerMinuteByResource)}`);
    return { name: tool.name, settings: tool.settings, cold, steady, baselineApiPerMinute: baseline, repositories: 2, push, ...(webhookPush ? { webhookPush } : {}), drift, workDir, notes };
  } finally {
    await watch.stop();
  }
}

/** Scenario 1 through the tool's webhook (Fjord: `POST /api/webhook`; Flux: a Receiver; Argo CD: a GitHub push event), when it answers 2xx. */
async function webhookSamples(o: BenchOptions, tool: ToolUnderTest, rig: LatencyRig, commits: number, timeoutMs: number): Promise<(number | null)[] | undefined> {
  if (tool.webhook === undefined) return undefined;
  const url = await remoteUrl(rig.repo);
  const webhook = tool.webhook.bind(tool);
  const problem = await webhook(url);
  if (problem !== undefined) {
    o.log(`[${tool.name}] the webhook variant is not measured: ${problem}`);
    return undefined;
  }
  const hooked: LatencyRig = { ...rig, notify: async () => { const p = await webhook(url); if (p !== undefined) o.log(`[${tool.name}] webhook: ${p}`); } };
  const out: (number | null)[] = [];
  for (let i = 0; i < commits; i++) {
    out.push(await pushSample(hooked, i, timeoutMs));
    o.log(`[${tool.name}] push via webhook ${i + 1}/${commits}: ${out[i] ?? 'TIMEOUT'} ms`);
  }
  rig.head = hooked.head;
  return out;
}

async function remoteUrl(repo: WorkingCopy): Promise<string> {
  return (await git(['remote', 'get-url', 'origin'], repo.dir)).trim();
}

const latencyURL = (s: Shared): string => s.git.url('org/latency.git');

async function prepareGit(o: BenchOptions, scratch: string): Promise<Shared> {
  const root = join(scratch, 'git');
  mkdirSync(root);
  await createBareRepo(root, 'org/config.git');
  await createBareRepo(root, 'org/latency.git');
  const git = await GitHttpServer.start({ root });
  const config = await WorkingCopy.clone(git.url('org/config.git'));
  const configHead = await config.write(allAppFiles(o.apps, o.resources)).commit(`${o.apps} apps × ${o.resources} resources`);
  await config.push();
  config.remove();
  const latencyRepo = await WorkingCopy.clone(git.url('org/latency.git'));
  const values = new Map<string, string>();
  const latencyHead = await latencyRepo.write(latencyFiles(values)).commit('latency app: 10 ConfigMaps and 10 Deployments');
  await latencyRepo.push();
  return { git, configURL: git.url('org/config.git'), configHead, latencyRepo, values, latencyHead, scratch };
}

type Which = 'fjord' | 'flux' | 'argocd';

async function startTool(o: BenchOptions, which: Which, ctx: ToolContext): Promise<ToolUnderTest> {
  if (which === 'fjord') return FjordUnderTest.start(ctx);
  if (which === 'flux') return FluxUnderTest.start(ctx, buildFlux(o.root), o.fluxSettings);
  return ArgoCdUnderTest.start(ctx, buildArgoCd(o.root));
}

/**
 * Samples per tool. Flux and Argo CD get fewer pushes, with longer timeouts, because each waits out
 * its poll interval (1 min; 2 to 3 min). Argo CD's drift samples do not wait between changes to one
 * object: its self-heal backoff is part of what is measured.
 */
function samplesFor(o: BenchOptions, which: Which): Sampling {
  if (which === 'fjord') return { commits: o.commits, drifts: o.drifts, pushTimeoutMs: 60_000, driftTimeoutMs: 30_000, reuseGapMs: 35_000 };
  if (which === 'flux') return { commits: o.fluxCommits, drifts: o.fluxDrifts, pushTimeoutMs: 150_000, driftTimeoutMs: 30_000, reuseGapMs: 0 };
  return { commits: o.argoCommits ?? 5, drifts: o.argoDrifts ?? 5, pushTimeoutMs: 300_000, driftTimeoutMs: 30_000, reuseGapMs: 0 };
}

async function toolPhase(o: BenchOptions, s: Shared, which: Which): Promise<ToolResult> {
  return withCluster(o, which, async (kube, kubeconfig, controlPlane) => {
    for (const ns of [APPS_NS, LATENCY_NS]) await ensureNamespace(kube, ns);
    const workDir = join(o.logDir, which);
    mkdirSync(workDir, { recursive: true });
    const baselineS = Math.min(30, Math.max(5, Math.round(o.steadySeconds / 2)));
    o.log(`[${which}] idle cluster API request rate over ${baselineS} s (baseline)`);
    const baseline = await apiRate(kube, baselineS);
    const ctx: ToolContext = { kube, kubeconfig, root: o.root, workDir, cpuProfile: o.cpuProfile, ...(o.fjordRunArgs ? { fjordRunArgs: o.fjordRunArgs } : {}), ...(o.replicas !== undefined ? { replicas: o.replicas } : {}) };
    const tool = await startTool(o, which, ctx);
    try {
      return await measureTool(o, s, kube, tool, { controlPlane, samples: samplesFor(o, which), baseline, workDir });
    } finally {
      await tool.stop();
      for (const cache of ['fjord-cache', 'flux-artifacts', 'argocd-data']) rmSync(join(workDir, cache), { recursive: true, force: true });
    }
  });
}

/** Newest modification time of the .ts files under a folder. */
function newestTs(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTs(path));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Compiles dist/ (what bin/fjord.js runs) when a source is newer than it, as the bootstrap does, so the
 * bench measures the working tree's code as users run it.
 */
function buildFjord(o: BenchOptions): void {
  const main = join(o.root, 'dist', 'cli', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestTs(join(o.root, 'src'))) return;
  o.log('[fjord] compiling dist/ (tsc -p tsconfig.build.json)');
  execFileSync(process.execPath, [join(o.root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(o.root, 'tsconfig.build.json')], { cwd: o.root, stdio: 'inherit' });
}

export async function runBench(o: BenchOptions): Promise<BenchRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'fjord-bench-'));
  const errors: string[] = [];
  const out: { floor?: Floor; api?: ApiList; fjord?: ToolResult; flux?: ToolResult; argocd?: ToolResult } = {};
  if (o.flux) buildFlux(o.root);
  if (o.argocd) buildArgoCd(o.root);
  if (o.fjord !== false) buildFjord(o);
  const s = await prepareGit(o, scratch);
  try {
    if (o.floor) {
      out.floor = await withCluster(o, 'floor', async (kube, kubeconfig, controlPlane) => {
        await ensureNamespace(kube, 'floor');
        const f = await floor({ kube, controlPlane, kubectl: join(o.root, '.kube-bin', 'bin', 'kubectl'), kubeconfig, workDir: scratch, n: o.apps, m: o.resources, parallel: o.floorParallel, namespace: 'floor' });
        o.log(`[floor] ${f.objects} objects with ${f.parallel} parallel kubectl apply --server-side: ${f.wallS} s, all Deployments Healthy at ${f.healthyS ?? '?'} s, control plane CPU ${f.controlPlaneCpuS} s; API requests by resource: ${JSON.stringify(f.apiRequests)}`);
        return f;
      });
    }
    for (const which of [...(o.fjord === false ? [] : ['fjord' as const]), ...(o.flux ? ['flux' as const] : []), ...(o.argocd ? ['argocd' as const] : [])]) {
      try {
        out[which] = await toolPhase(o, s, which);
      } catch (e) {
        errors.push(`${which}: ${(e as Error).message}`);
        o.log(`[${which}] FAILED: ${(e as Error).message}`);
      }
    }
    // After the tools: in a shared cluster (quick mode) no controller may see these Applications.
    if (o.fjord !== false && o.apiApps > 0) {
      try {
        out.api = await withCluster(o, 'api', async (kube) => {
          const a = await measureApiList(kube, o.apiApps, o.apiRequests);
          o.log(`[api] ${a.apps} Applications (created in ${a.createS.toFixed(1)} s): ${a.rows.map((r) => `${r.label} (${r.items} of ${r.total}) p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms`).join('; ')}`);
          return a;
        });
      } catch (e) {
        errors.push(`api: ${(e as Error).message}`);
        o.log(`[api] FAILED: ${(e as Error).message}`);
      }
    }
  } finally {
    await s.git.stop();
    s.latencyRepo.remove();
    rmSync(scratch, { recursive: true, force: true });
  }
  return { ...out, errors };
}
