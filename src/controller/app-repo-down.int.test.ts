// A repository that stops answering keeps what runs as it is: the Application gets a condition that
// names the repository and the cause, nothing is pruned, and it recovers by itself when Git is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GitHttpServer } from '../dev/git/http-server.js';
import { startAppFixture, configMap } from '../testing/app-fixture.js';
import { defer } from '../testing/cleanup.js';

test('Git down: condition, nothing pruned; Git back: recovered without a restart', async (t) => {
  const f = await startAppFixture(t);
  await f.push({ 'down/a.yaml': configMap('a', { v: '1' }) }, 'one');
  const app = f.appName('down');
  await f.ctrl.createApp(app, f.spec('down', { syncPolicy: { automated: { prune: true, selfHeal: true } } }));
  await f.waitFor(app, 'synced', (s) => s.sync.status === 'Synced');
  const port = Number(new URL(f.git.http.baseUrl).port);
  await f.git.http.stop();
  await f.kube.request('PATCH', f.ctrl.appPath(app), { body: { metadata: { annotations: { 'fjord.dev/refresh': 'hard' } } }, contentType: 'application/merge-patch+json' });
  const s = await f.waitFor(app, 'condition', (x) => x.conditions.some((c) => c.type === 'ComparisonError'), 30_000);
  const message = s.conditions.find((c) => c.type === 'ComparisonError')?.message ?? '';
  assert.match(message, new RegExp(`127\\.0\\.0\\.1:${port}/org/config`));
  assert.match(message, /unreachable|connect|refused/i);
  assert.equal(s.sync.status, 'Synced', 'the last known comparison is kept');
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/a`), 'nothing is pruned while Git is down');
  await new Promise((r) => setTimeout(r, 3000));
  assert.ok((await f.status(app))?.conditions.some((c) => c.type === 'ComparisonError'), 'the condition stays while Git is down');

  const back = await GitHttpServer.start({ root: f.git.root, port });
  defer(t, () => back.stop());
  const next = await f.push({ 'down/b.yaml': configMap('b', { v: '1' }) }, 'two');
  await f.waitFor(app, 'recovered', (x) => x.sync.revision === next && x.sync.status === 'Synced' && x.conditions.length === 0, 30_000);
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/b`));
});
