// Scenarios 3–5: cold start of N apps × M resources, steady state, and the physical floor
// (`kubectl apply --server-side` in parallel batches, no GitOps).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../../src/kube/client.js';
import { createInformer } from '../../src/kube/watch.js';
import { assessHealth } from '../../src/health/health.js';
import { apiRequestsByVerb, apiRequestsByVerbResource, byVerb, delta, perMinute, procsSample } from './proc.js';
import type { ToolUnderTest } from './tool.js';
import { appFiles } from './workload.js';

export interface ColdStart {
  readonly apps: number;
  /** From the first create call to all N apps applied and healthy at the revision; null = timed out. */
  readonly wallS: number | null;
  readonly createS: number;
  readonly readyAtEnd: number;
  readonly cpuS: number;
  readonly peakRssMiB: number;
  readonly rssMiB: number;
  /** [seconds, fraction of apps ready] every ~0.5 s. */
  readonly progress: [number, number][];
  /** API-server requests during the cold start by `VERB resource` (the idle cluster's own included; absent in older results). */
  readonly apiRequests?: Record<string, number>;
  /** CPU seconds of etcd, kube-apiserver, the controller-manager, the scheduler and KWOK meanwhile. */
  readonly controlPlaneCpuS?: number;
}

export async function coldStart(tool: ToolUnderTest, env: { kube: KubeClient; controlPlane: readonly number[] }, n: number, source: { repoURL: string; revision: string }, timeoutMs: number): Promise<ColdStart> {
  const { repoURL, revision } = source;
  const { kube, controlPlane } = env;
  const api0 = await apiRequestsByVerbResource(kube);
  const cp0 = procsSample(controlPlane).cpuSeconds;
  const cpu0 = procsSample(tool.pids()).cpuSeconds;
  const t0 = performance.now();
  const secs = (): number => Number(((performance.now() - t0) / 1000).toFixed(2));
  const progress: [number, number][] = [[0, 0]];
  const state = { created: false };
  const creating = tool.createApps(n, repoURL).then(() => { state.created = true; });
  let createS = 0;
  let ready = 0;
  while (performance.now() - t0 < timeoutMs) {
    await sleep(250);
    if (state.created && createS === 0) createS = secs();
    ready = tool.readyApps(revision);
    const last = progress[progress.length - 1];
    if (!last || secs() - last[0] >= 0.5 || ready === n) progress.push([secs(), ready / n]);
    if (state.created && ready >= n) break;
  }
  await creating;
  const wall = ready >= n ? secs() : null;
  const p = procsSample(tool.pids());
  const controlPlaneCpuS = Number((procsSample(controlPlane).cpuSeconds - cp0).toFixed(2));
  const apiRequests = delta(api0, await apiRequestsByVerbResource(kube));
  return { apps: n, wallS: wall, createS: createS || secs(), readyAtEnd: ready, cpuS: Number((p.cpuSeconds - cpu0).toFixed(2)), peakRssMiB: Math.round(p.peakRssMiB), rssMiB: Math.round(p.rssMiB), progress, apiRequests, controlPlaneCpuS };
}

export interface SteadyState {
  readonly seconds: number;
  readonly cpuPercent: number;
  readonly rssMiB: number;
  /** API-server requests per minute by verb while the tool ran, minus the idle cluster's own rate. */
  readonly apiPerMinute: Record<string, number>;
  readonly apiPerMinuteRaw: Record<string, number>;
  /** The raw rate by `VERB resource` (the idle cluster's own requests included), to tell who asks what. */
  readonly apiPerMinuteByResource: Record<string, number>;
  readonly gitRequestsPerMinute: number;
}

/** The API server's request rate by verb over `seconds` (used with no tool running as the baseline). */
export async function apiRate(kube: KubeClient, seconds: number): Promise<Record<string, number>> {
  const before = await apiRequestsByVerb(kube);
  await sleep(seconds * 1000);
  return perMinute(before, await apiRequestsByVerb(kube), seconds);
}

export async function steadyState(tool: ToolUnderTest, kube: KubeClient, git: { count: number }, seconds: number, baseline: Record<string, number>): Promise<SteadyState> {
  const p0 = procsSample(tool.pids());
  const g0 = git.count;
  const t0 = performance.now();
  const before = await apiRequestsByVerbResource(kube);
  await sleep(seconds * 1000);
  const detail = perMinute(before, await apiRequestsByVerbResource(kube), seconds);
  const raw = byVerb(detail);
  const elapsed = (performance.now() - t0) / 1000;
  const p1 = procsSample(tool.pids());
  const excess: Record<string, number> = {};
  for (const [verb, v] of Object.entries(raw)) {
    const d = v - (baseline[verb] ?? 0);
    if (d > 0) excess[verb] = d;
  }
  return {
    seconds: Math.round(elapsed), cpuPercent: Number((((p1.cpuSeconds - p0.cpuSeconds) / elapsed) * 100).toFixed(2)), rssMiB: Math.round(p1.rssMiB),
    apiPerMinute: excess, apiPerMinuteRaw: raw, apiPerMinuteByResource: detail, gitRequestsPerMinute: Math.round(((git.count - g0) * 60) / elapsed),
  };
}

export interface Floor {
  readonly objects: number;
  readonly parallel: number;
  /** The kubectl processes' wall time: every object stored. */
  readonly wallS: number;
  /**
   * From the same start to every Deployment Healthy by Fjord's own health rules (the controller-manager
   * has created its ReplicaSet and reported the rollout): what "applied and healthy" costs the cluster
   * itself, without any GitOps tool. Absent in older results.
   */
  readonly healthyS?: number;
  readonly apiRequests?: Record<string, number>;
  /** CPU seconds of the control plane from the start to all healthy (kubectl's own not included). */
  readonly controlPlaneCpuS?: number;
}

function run(cmd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
    child.on('error', reject);
    child.on('exit', (code) => { if (code === 0) resolve(); else reject(new Error(`${cmd} ${args.slice(0, 6).join(' ')}… exited with ${String(code)}: ${err}`)); });
  });
}

/** Applies the N × M objects with `parallel` kubectl processes, one batch folder each; the files are written beforehand (not timed). */
export async function floor(o: { kube: KubeClient; controlPlane: readonly number[]; kubectl: string; kubeconfig: string; workDir: string; n: number; m: number; parallel: number; namespace: string }): Promise<Floor> {
  const { kube, controlPlane, kubectl, kubeconfig, workDir, n, m, parallel, namespace } = o;
  const batches = Array.from({ length: parallel }, (_, b) => join(workDir, 'floor', `batch-${b}`));
  for (const dir of batches) mkdirSync(dir, { recursive: true });
  let objects = 0;
  let expected = 0; // Deployments, each to become Healthy
  for (let i = 0; i < n; i++) {
    for (const [path, content] of Object.entries(appFiles(i, m))) {
      writeFileSync(join(batches[i % parallel] ?? '', path.replace(/\//g, '_')), content);
      objects++;
      if (/^kind: Deployment$/m.test(content)) expected++;
    }
  }
  const healthy = new Set<string>();
  const deployments = createInformer(kube, {
    path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
    onEvent: (type, obj) => {
      const name = obj.metadata?.name ?? '';
      if (type !== 'DELETED' && assessHealth(obj)?.status === 'Healthy') healthy.add(name); else healthy.delete(name);
    },
  });
  deployments.start();
  await deployments.synced();
  try {
    const api0 = await apiRequestsByVerbResource(kube);
    const cp0 = procsSample(controlPlane).cpuSeconds;
    const t0 = performance.now();
    await Promise.all(batches.map((dir) => run(kubectl, ['--kubeconfig', kubeconfig, 'apply', '--server-side', '--field-manager', 'bench-floor', '-n', namespace, '-f', dir])));
    const wallS = Number(((performance.now() - t0) / 1000).toFixed(2));
    while (healthy.size < expected && performance.now() - t0 < 600_000) await sleep(100);
    const healthyS = healthy.size >= expected ? Number(((performance.now() - t0) / 1000).toFixed(2)) : undefined;
    const controlPlaneCpuS = Number((procsSample(controlPlane).cpuSeconds - cp0).toFixed(2));
    const apiRequests = delta(api0, await apiRequestsByVerbResource(kube));
    return { objects, parallel, wallS, ...(healthyS !== undefined ? { healthyS } : {}), apiRequests, controlPlaneCpuS };
  } finally {
    await deployments.stop();
  }
}
