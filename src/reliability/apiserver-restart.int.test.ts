// The control plane fails under a running controller, on a cluster of this test's own: the
// kube-apiserver is restarted in the middle of a sync, later etcd is frozen (SIGSTOP) for
// FJORD_FAULTS_ETCD_PAUSE_S (10 s) during another. The controller keeps running, reconnects its
// watches by itself, finishes the syncs, applies a commit pushed after each fault, heals drift (which
// only works when its watch of the managed objects came back), and logs a bounded number of lines.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FJORD } from '../api/flavor.js';
import { DEFAULT_CONFIG } from '../controller/config.js';
import { ControllerManager } from '../controller/manager.js';
import type { ApplicationStatus } from '../controller/app-status.js';
import { clusterDown, clusterUp } from '../dev/cluster/cluster.js';
import { install } from '../install/install.js';
import { KubeClient } from '../kube/client.js';
import { createLogger } from '../util/log.js';
import { defer } from '../testing/cleanup.js';
import { startGitRepo } from '../testing/git.js';
import { configMap } from '../testing/manifests.js';
import { eventually } from '../testing/wait.js';
import { pauseEtcd, restartApiserver } from './control-plane.js';
import { recordFigures } from './figures.js';

const PAUSE_S = Number(process.env['FJORD_FAULTS_ETCD_PAUSE_S'] ?? 10);
const NS = 'fjord';
const DEST = 'faults';
const APP = 'cp';
const appPath = `/apis/fjord.dev/v1alpha1/namespaces/${NS}/applications/${APP}`;
const cmPath = (n: string): string => `/api/v1/namespaces/${DEST}/configmaps/${n}`;

async function startManager(t: TestContext, kube: KubeClient, lines: string[]): Promise<void> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'fjord-cp-cache-'));
  const log = createLogger({ format: 'text', level: 'debug', write: (l) => { lines.push(l); } });
  const manager = await ControllerManager.start({ kube, flavor: FJORD, namespace: NS, cacheDir, log, config: { ...DEFAULT_CONFIG, pollIntervalMs: 500, reconciliationMs: 60_000 } });
  defer(t, async () => { await manager.stop(); rmSync(cacheDir, { recursive: true, force: true }); });
}

test(`kube-apiserver restarted and etcd paused ${PAUSE_S} s mid-sync: the controller reconnects, converges, applies later commits and heals drift`, { timeout: 300_000 }, async (t) => {
  const name = `cp-${process.pid}-${randomBytes(3).toString('hex')}`;
  defer(t, () => clusterDown(name));
  const cluster = await clusterUp({ name });
  const kube = KubeClient.fromKubeconfig(cluster.kubeconfig);
  defer(t, () => kube.close());
  await install(kube, FJORD);
  for (const ns of [NS, DEST]) if (!(await kube.getOrUndefined(`/api/v1/namespaces/${ns}`))) await kube.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const { repoURL, repo } = await startGitRepo(t, 'org/cp.git');
  const push = async (v: string): Promise<string> => { const sha = await repo.write({ 'cp/a.yaml': configMap('a', { v }), 'cp/b.yaml': configMap('b', { v }, { 'argocd.argoproj.io/sync-wave': '1' }) }).commit(`v${v}`); await repo.push(); return sha; };
  const converged = (sha: string, v: string, what: string): Promise<unknown> => eventually(what, async () => {
    const s = (await kube.get(appPath))['status'] as ApplicationStatus | undefined;
    const b = await kube.getOrUndefined<{ data: { v: string } }>(cmPath('b'));
    return s?.sync.status === 'Synced' && s.sync.revision === sha && s.operationState?.phase === 'Succeeded' && b?.data.v === v ? true : undefined;
  }, 120_000);
  const drifted = async (what: string): Promise<void> => {
    const want = (await kube.get<{ data: { v: string } }>(cmPath('a'))).data.v;
    await kube.request('PATCH', cmPath('a'), { body: { data: { v: 'drift' } }, contentType: 'application/merge-patch+json' });
    await eventually(what, async () => ((await kube.get<{ data: { v: string } }>(cmPath('a'))).data.v === want ? true : undefined), 60_000);
  };

  const lines: string[] = [];
  await push('1');
  await startManager(t, kube, lines);
  await kube.create(`/apis/fjord.dev/v1alpha1/namespaces/${NS}/applications`, {
    apiVersion: 'fjord.dev/v1alpha1', kind: 'Application', metadata: { name: APP },
    spec: { project: 'default', source: { repoURL, targetRevision: 'main', path: 'cp' }, destination: { server: 'https://kubernetes.default.svc', namespace: DEST }, syncPolicy: { automated: { prune: true, selfHeal: true } } },
  });
  await converged(await push('1'), '1', 'first sync');

  const beforeRestart = lines.length;
  const second = await push('2');
  await restartApiserver(name, 3000);
  await converged(second, '2', 'the sync interrupted by the restart finished');
  await converged(await push('3'), '3', 'a commit pushed after the restart applied');
  await drifted('drift healed after the apiserver restart');
  const restartLines = lines.length - beforeRestart;

  const beforePause = lines.length;
  const fourth = await push('4');
  await pauseEtcd(name, PAUSE_S * 1000);
  await converged(fourth, '4', 'the sync during the etcd pause finished');
  await converged(await push('5'), '5', 'a commit pushed after the pause applied');
  await drifted('drift healed after the etcd pause');
  const pauseLines = lines.length - beforePause;

  const errors = lines.filter((l) => /ERROR/.test(l)).length;
  t.diagnostic(`log lines (debug level): ${restartLines} around the restart, ${pauseLines} around the pause, ${errors} errors in all`);
  recordFigures('control-plane', { faults: 2, apiserverRestarts: 1, etcdPauseSeconds: PAUSE_S, restartLogLines: restartLines, pauseLogLines: pauseLines, errorLines: errors, objectsLost: 0 });
  assert.ok(restartLines < 2000 && pauseLines < 2000, `log lines stay bounded (${restartLines}, ${pauseLines}): no tight retry loop`);
});
