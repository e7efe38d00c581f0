// Git down for a while (FJORD_FAULTS_GIT_DOWN_S, 15 s here, 60 s in scripts/fault-suite.ts), then slow
// (every packet held back by a proxy), then back. src/controller/app-repo-down.int.test.ts covers a
// short outage of one app; this one keeps several apps through a long outage in which a commit that
// removes objects was pushed: they keep running what they ran, say why in a condition for the whole
// outage, prune nothing, follow Git through the slow phase and recover without anyone's help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../testing/app-fixture.js';
import type { AppFixture } from '../testing/app-fixture.js';
import type { ApplicationStatus } from '../controller/app-status.js';
import { defer } from '../testing/cleanup.js';
import { eventually } from '../testing/wait.js';
import { recordFigures } from './figures.js';
import { TcpProxy } from './tcp-proxy.js';

const DOWN_S = Number(process.env['FJORD_FAULTS_GIT_DOWN_S'] ?? 15);
const SLOW_MS = 300;
const APPS = 3;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const cmPath = (f: AppFixture, name: string): string => `/api/v1/namespaces/${f.dest}/configmaps/${name}`;
function files(v: string, withB: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < APPS; i++) {
    out[`o${i}/a.yaml`] = configMap(`a-${i}`, { v });
    if (withB) out[`o${i}/b.yaml`] = configMap(`b-${i}`, { v });
  }
  return out;
}

async function allAt(f: AppFixture, apps: string[], sha: string, what: string): Promise<void> {
  for (const app of apps) await f.waitFor(app, `${app} ${what}`, (s) => s.sync.revision === sha && s.sync.status === 'Synced' && s.conditions.length === 0 && s.operationState?.phase === 'Succeeded' && s.operationState.operation.sync.revision === sha, 60_000 + DOWN_S * 1000);
}

/** While Git is down: every app says why, stays at `sha`, and every object is still there. */
async function checkDuringOutage(f: AppFixture, apps: string[], sha: string, port: number): Promise<number> {
  let checks = 0;
  for (const app of apps) {
    const s = await f.status(app) as ApplicationStatus;
    const cond = s.conditions.find((c) => c.type === 'ComparisonError');
    assert.ok(cond, `${app} has a ComparisonError while Git is down`);
    assert.match(cond.message, new RegExp(`127\\.0\\.0\\.1:${port}/org/config`));
    assert.equal(s.sync.revision, sha, `${app} keeps its last revision`);
    checks++;
  }
  for (let i = 0; i < APPS; i++) for (const n of [`a-${i}`, `b-${i}`]) assert.ok(await f.live(cmPath(f, n)), `${n} is not pruned while Git is down`);
  return checks;
}

test(`Git down ${DOWN_S} s, then slow, then back: apps keep their state, say why, prune nothing, recover by themselves`, { timeout: 90_000 + DOWN_S * 2000 }, async (t) => {
  const f = await startAppFixture(t);
  const proxy = await TcpProxy.start(Number(new URL(f.git.http.baseUrl).port));
  defer(t, () => proxy.close());
  const repoURL = proxy.url('org/config.git');
  const first = await f.push(files('1', true), 'one');
  const apps = Array.from({ length: APPS }, (_, i) => f.appName(`git${i}`));
  for (const [i, app] of apps.entries()) {
    await f.ctrl.createApp(app, f.spec(`o${i}`, { source: { repoURL, targetRevision: 'main', path: `o${i}` }, syncPolicy: { automated: { prune: true, selfHeal: true } } }));
  }
  await allAt(f, apps, first, 'synced');

  await proxy.down();
  const removing = await f.push(files('2', false), 'two: removes b-*', Array.from({ length: APPS }, (_, i) => `o${i}/b.yaml`));
  for (const app of apps) await f.waitFor(app, `${app} condition`, (s) => s.conditions.some((c) => c.type === 'ComparisonError'), 30_000);
  let checks = 0;
  const until = Date.now() + DOWN_S * 1000;
  while (Date.now() < until) {
    checks += await checkDuringOutage(f, apps, first, proxy.port);
    await sleep(3000);
  }

  proxy.slow(SLOW_MS);
  await proxy.up();
  await allAt(f, apps, removing, 'followed Git through a slow connection');
  assert.ok(proxy.counts.delayedChunks > 0, 'the connection was slow');
  for (let i = 0; i < APPS; i++) await eventually(`b-${i} pruned once Git said so`, async () => ((await f.live(cmPath(f, `b-${i}`))) ? undefined : true), 10_000);

  proxy.slow(0);
  const last = await f.push(files('3', false), 'three');
  await allAt(f, apps, last, 'recovered');
  for (let i = 0; i < APPS; i++) assert.equal((await f.live(cmPath(f, `a-${i}`)) as { data: { v: string } } | undefined)?.data.v, '3');
  recordFigures('git-outage', { downSeconds: DOWN_S, slowMs: SLOW_MS, apps: APPS, outageChecks: checks, delayedChunks: proxy.counts.delayedChunks, faults: 2, objectsLost: 0 });
});
