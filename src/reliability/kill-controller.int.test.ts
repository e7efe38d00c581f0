// Kill -9 of the real `fjord run --roles controller` process at random points during syncs with
// hooks and waves, restarted each time: afterwards every Application is Synced and Healthy at the
// last commit with its operation Succeeded, no hook ran twice for one revision, nothing was lost, and
// status.history has no gaps or duplicate ids. FJORD_FAULTS_KILLS raises the number of kills
// (scripts/fault-suite.ts runs 50+); FJORD_FAULTS_SEED repeats a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testKube, testKubeconfig, testNamespace } from '../testing/cluster.js';
import { startGitRepo } from '../testing/git.js';
import { runKillLoop } from './kill-loop.js';
import { recordFigures } from './figures.js';

const kills = Number(process.env['FJORD_FAULTS_KILLS'] ?? 3);
const seed = Number(process.env['FJORD_FAULTS_SEED'] ?? Date.now() % 1_000_000);

test(`kill -9 of the controller ${kills} times during syncs: everything converges, no hook runs twice, nothing lost`, { timeout: 180_000 + kills * 45_000 }, async (t) => {
  const kube = testKube(t);
  const namespace = await testNamespace(t, kube, 'kill');
  const dest = await testNamespace(t, kube, 'kill-dest');
  const { repoURL, repo } = await startGitRepo(t, 'org/kill.git');
  const figures = await runKillLoop(t, {
    kube, kubeconfig: testKubeconfig(), namespace, dest, repo, repoURL, apps: 2, kills, seed,
    maxDelayMs: 2500, convergeTimeoutMs: 120_000, log: (m) => { t.diagnostic(m); },
  });
  t.diagnostic(`seed ${seed}: ${JSON.stringify(figures)}`);
  recordFigures('kill-controller', { seed, ...figures });
  assert.deepEqual(figures.convergence.problems, [], 'every Application converged');
  assert.equal(figures.convergence.objectsLost, 0);
  assert.deepEqual(figures.duplicateHooks, [], 'no hook ran twice for one revision');
  assert.deepEqual(figures.missedHooks, [], 'every hook ran for the deployed commit');
  assert.ok(figures.killsMidSync > 0, 'at least one kill hit a running sync operation');
  assert.ok(figures.hookRuns >= 4, 'the hooks ran');
});
