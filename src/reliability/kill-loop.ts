// Kill -9 of `fjord run --roles controller` at random points during syncs, over and over: each round
// starts the real process, pushes a commit every other round so a sync is always under way, waits a
// random time and sends SIGKILL. Then one last controller runs until everything converged. The
// figures say how many kills landed in the middle of a sync operation and what, if anything, was lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { ApplicationStatus } from '../controller/app-status.js';
import type { WorkingCopy } from '../dev/git/repos.js';
import { FJORD } from '../api/flavor.js';
import { install } from '../install/install.js';
import type { KubeClient } from '../kube/client.js';
import { startFjord, type FjordProcess } from '../testing/cli.js';
import { defer } from '../testing/cleanup.js';
import { eventually } from '../testing/wait.js';
import { convergence, JobRecorder, pushRevision, type Convergence } from './workload.js';

export interface KillLoopOptions {
  readonly kube: KubeClient;
  readonly kubeconfig: string;
  /** Namespace of the Applications (the controller's). */
  readonly namespace: string;
  readonly dest: string;
  readonly repo: WorkingCopy;
  readonly repoURL: string;
  readonly apps: number;
  readonly kills: number;
  /** Longest random wait between seeing a sync Running and SIGKILL. */
  readonly maxDelayMs: number;
  readonly seed: number;
  readonly convergeTimeoutMs: number;
  readonly log?: (m: string) => void;
}

export interface KillFigures {
  readonly kills: number;
  /** Kills that hit while at least one sync operation was Running. */
  readonly killsMidSync: number;
  readonly commits: number;
  readonly hookRuns: number;
  readonly duplicateHooks: string[];
  /** Hooks that never ran for the last commit (an operation that skipped them). */
  readonly missedHooks: string[];
  readonly convergence: Convergence;
  readonly seconds: number;
}

/** A small seeded generator (mulberry32), so a failing run can be repeated. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface AppState { rv: string; phase: string | undefined }

async function appStates(kube: KubeClient, appsPath: string): Promise<Map<string, AppState>> {
  const list = await kube.get<{ items: { metadata: { name: string; resourceVersion: string }; status?: ApplicationStatus }[] }>(appsPath);
  return new Map(list.items.map((a) => [a.metadata.name, { rv: a.metadata.resourceVersion, phase: a.status?.operationState?.phase }]));
}

/** True when this controller has written a Running operation (not one a killed controller left). */
async function runningSince(kube: KubeClient, appsPath: string, before: Map<string, AppState>): Promise<boolean> {
  for (const [name, s] of await appStates(kube, appsPath)) if (s.phase === 'Running' && s.rv !== before.get(name)?.rv) return true;
  return false;
}

async function createApps(o: KillLoopOptions, appsPath: string): Promise<string[]> {
  const names = Array.from({ length: o.apps }, (_, i) => `kill-${i}`);
  for (const [i, name] of names.entries()) {
    await o.kube.create(appsPath, {
      apiVersion: 'fjord.dev/v1alpha1', kind: 'Application', metadata: { name, namespace: o.namespace },
      spec: {
        project: 'default', source: { repoURL: o.repoURL, targetRevision: 'main', path: `app${i}` },
        destination: { server: 'https://kubernetes.default.svc', namespace: o.dest },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  }
  return names;
}

export async function runKillLoop(t: TestContext, o: KillLoopOptions): Promise<KillFigures> {
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const cacheDir = mkdtempSync(join(tmpdir(), 'fjord-kill-cache-'));
  defer(t, () => { rmSync(cacheDir, { recursive: true, force: true }); });
  const appsPath = `/apis/fjord.dev/v1alpha1/namespaces/${o.namespace}/applications`;
  const args = ['run', '--roles', 'controller', '--kubeconfig', o.kubeconfig, '--namespace', o.namespace, '--cache-dir', cacheDir, '--port', '0', '--log-format', 'text', '--poll-interval', '1s'];
  const recorder = await JobRecorder.start(o.kube, o.dest);
  defer(t, () => recorder.stop());
  let rev = 1;
  let sha = await pushRevision(o.repo, o.apps, rev);
  await install(o.kube, FJORD);
  const names = await createApps(o, appsPath);
  const random = seeded(o.seed);
  let killsMidSync = 0;
  for (let k = 0; k < o.kills; k++) {
    const t0 = Date.now();
    const proc: FjordProcess = startFjord(t, args);
    await proc.waitForLine(/controller started/, 120_000);
    const t1 = Date.now();
    const before = await appStates(o.kube, appsPath);
    if (k > 0) sha = await pushRevision(o.repo, o.apps, ++rev);
    // Wait (bounded) until this controller has a sync under way, then kill at a random point of it.
    const midSync = await eventually('a sync operation Running', async () => ((await runningSince(o.kube, appsPath, before)) ? true : undefined), 30_000).catch(() => false);
    await sleep(Math.floor(random() * o.maxDelayMs));
    if (midSync && [...(await appStates(o.kube, appsPath)).values()].some((s) => s.phase === 'Running')) killsMidSync++;
    await proc.stop('SIGKILL');
    log(`kill ${k + 1}/${o.kills} at rev ${rev}: start ${t1 - t0} ms, killed after ${Date.now() - t1} ms; ${killsMidSync} mid-sync, ${recorder.runs} hook runs so far`);
  }
  const last = startFjord(t, args);
  await last.waitForLine(/controller started/, 120_000);
  let result: Convergence = { problems: ['not checked'], objectsLost: 0 };
  await eventually('every Application converged after the kills', async () => {
    result = await convergence(o.kube, { appsPath, names, dest: o.dest, sha, rev });
    return result.problems.length === 0 ? true : undefined;
  }, o.convergeTimeoutMs).catch((e: unknown) => { log(`${(e as Error).message}: ${result.problems.join('; ')}`); });
  await last.stop('SIGTERM');
  return {
    kills: o.kills, killsMidSync, commits: rev, hookRuns: recorder.runs, duplicateHooks: recorder.duplicates(),
    missedHooks: recorder.missing(Array.from({ length: o.apps }, (_, i) => [`pre-${i}`, `post-${i}`]).flat(), rev),
    convergence: result, seconds: Math.round((Date.now() - started) / 1000),
  };
}
