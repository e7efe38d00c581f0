// A webhook flood during a burst of commits, against the real API server route (POST /api/webhook) and
// controller in this process, with polling practically off (10 min) so only webhooks can wake it:
// every signed request is answered, the work queue never holds more than one entry per Application,
// the Git server is asked far less often than once per webhook (concurrent polls of one repository
// are coalesced), memory stays bounded, and the last commit is applied (no trigger lost).
// FJORD_FAULTS_WEBHOOKS / FJORD_FAULTS_COMMITS size it (scripts/fault-suite.ts: 5,000 and 1,000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { startAppFixture } from '../testing/app-fixture.js';
import { startTestServer } from '../testing/server.js';
import { eventually } from '../testing/wait.js';
import { signGeneric } from '../server/webhook/index.js';
import { burstFiles, moveMain, writeCommits } from './commit-burst.js';
import { recordFigures } from './figures.js';

const WEBHOOKS = Number(process.env['FJORD_FAULTS_WEBHOOKS'] ?? 2000);
const COMMITS = Number(process.env['FJORD_FAULTS_COMMITS'] ?? 200);
const APPS = 3;
const CONCURRENCY = 32;
const SECRET = `flood-${Math.random().toString(36).slice(2)}`;
const MB = 1024 * 1024;

/** Runs `count` tasks with at most `limit` at once. */
async function pool(count: number, limit: number, task: (k: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < count) await task(next++);
  }));
}

test(`${WEBHOOKS} webhooks during a burst of ${COMMITS} commits: bounded queue and memory, coalesced polls, last commit applied`, { timeout: 150_000 + WEBHOOKS * 40 + COMMITS * 100 }, async (t) => {
  const f = await startAppFixture(t, { pollIntervalMs: 600_000 });
  const server = await startTestServer(t, f.ctrl);
  await f.kube.create(`/api/v1/namespaces/${f.ctrl.namespace}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fjord-webhook' }, stringData: { 'generic.secret': SECRET } });
  const first = await f.push(burstFiles(APPS, 0), 'start');
  const apps = Array.from({ length: APPS }, (_, i) => f.appName(`flood${i}`));
  for (const [i, app] of apps.entries()) await f.ctrl.createApp(app, f.spec(`w${i}`, { syncPolicy: { automated: { prune: true } } }));
  for (const app of apps) await f.waitFor(app, `${app} synced`, (s) => s.sync.revision === first && s.sync.status === 'Synced');
  let resets = 0;
  // Idle connections are dropped by the client before the server's 5 s keep-alive timeout closes them.
  // A connection reset anyway (the server closing it as the client reuses it: nothing was handled) is
  // sent again once, as a provider does, and counted.
  const agent = new Agent({ keepAliveTimeout: 1000, connections: CONCURRENCY });
  t.after(() => agent.close());
  const send = async (body: string, retry = true): Promise<{ status: number; text: () => Promise<string> }> => {
    try {
      return await undiciFetch(`${server.url}/api/webhook`, { dispatcher: agent, method: 'POST', body, headers: { 'content-type': 'application/json', 'x-fjord-event': 'push', 'x-fjord-signature': signGeneric(SECRET, body) } });
    } catch (e) {
      if (!retry) throw e;
      resets++;
      return send(body, false);
    }
  };
  await eventually('the webhook secret is in force', async () => ((await fetch(`${server.url}/api/webhook`, { method: 'POST', body: '{}', headers: { 'x-fjord-event': 'push' } })).status === 401 ? true : undefined), 20_000);

  const gitDir = join(f.git.root, 'org', 'config.git');
  const shas = await writeCommits(gitDir, APPS, COMMITS);
  const last = shas.at(-1) ?? '';
  const before = process.memoryUsage();
  const gitBefore = f.git.http.requests.count;
  let maxDepth = 0;
  const sampler = setInterval(() => { maxDepth = Math.max(maxDepth, f.ctrl.manager.queueDepth()); }, 20);
  t.after(() => { clearInterval(sampler); });
  let head = 0;
  const statuses = new Map<number, number>();
  const started = Date.now();
  await pool(WEBHOOKS, CONCURRENCY, async (k) => {
    // The ref moves through the burst while the flood goes on; the last webhooks follow the last commit.
    const target = Math.min(COMMITS - 1, Math.floor((k * COMMITS) / (WEBHOOKS * 0.9)));
    while (head <= target) moveMain(gitDir, shas[head++] ?? '');
    const body = JSON.stringify({ repository: f.repoURL, ref: 'refs/heads/main', revision: shas[head - 1] });
    const res = await send(body);
    await res.text();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (k % 500 === 0) t.diagnostic(`webhook ${k} at ${(Date.now() - started) / 1000} s, head ${head}, queue ${f.ctrl.manager.queueDepth()}`);
  });
  const floodSeconds = (Date.now() - started) / 1000;
  t.diagnostic(`flood sent in ${floodSeconds} s`);
  assert.equal(head, COMMITS, 'main moved through every commit of the burst');
  assert.deepEqual([...statuses], [[200, WEBHOOKS]], 'every webhook was answered 200');
  for (const app of apps) await f.waitFor(app, `${app} at the last commit`, (s) => s.sync.revision === last && s.sync.status === 'Synced' && s.operationState?.phase === 'Succeeded', 60_000);
  for (let i = 0; i < APPS; i++) assert.equal((await f.live(`/api/v1/namespaces/${f.dest}/configmaps/a-${i}`) as { data: { v: string } } | undefined)?.data.v, String(COMMITS));
  clearInterval(sampler);
  const after = process.memoryUsage();
  const gitRequests = f.git.http.requests.count - gitBefore;
  const figures = {
    webhooks: WEBHOOKS, commits: COMMITS, floodSeconds, connectionResetsRetried: resets, maxQueueDepth: maxDepth, gitRequests,
    heapMB: [Math.round(before.heapUsed / MB), Math.round(after.heapUsed / MB)], rssMB: [Math.round(before.rss / MB), Math.round(after.rss / MB)], objectsLost: 0,
  };
  t.diagnostic(JSON.stringify(figures));
  recordFigures('webhook-flood', figures);
  assert.ok(resets < WEBHOOKS / 100, `${resets} connection resets`);
  assert.ok(maxDepth <= APPS, `the queue never held more than one entry per Application (max ${maxDepth})`);
  assert.ok(gitRequests < WEBHOOKS / 4, `polls were coalesced: ${gitRequests} requests to Git for ${WEBHOOKS} webhooks`);
  assert.ok(after.heapUsed - before.heapUsed < 150 * MB, `heap grew by ${Math.round((after.heapUsed - before.heapUsed) / MB)} MB`);
});
