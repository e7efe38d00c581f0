// Pruning: an object removed from Git is deleted when automated.prune is on, kept (and reported as
// requiring pruning) when it is off, and kept when it carries Prune=false.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../testing/app-fixture.js';
import { eventually } from '../testing/wait.js';

test('objects removed from Git are pruned with prune on, except those annotated Prune=false', async (t) => {
  const f = await startAppFixture(t);
  await f.push({
    'p/a.yaml': configMap('a', { v: '1' }),
    'p/b.yaml': configMap('b', { v: '1' }),
    'p/keep.yaml': configMap('keep', { v: '1' }, { 'argocd.argoproj.io/sync-options': 'Prune=false' }),
  }, 'three config maps');
  const app = f.appName('prune');
  await f.ctrl.createApp(app, f.spec('p', { syncPolicy: { automated: { prune: true } } }));
  await f.waitFor(app, 'synced', (s) => s.sync.status === 'Synced' && s.resources.length === 3);
  await f.push({}, 'drop b and keep', ['p/b.yaml', 'p/keep.yaml']);
  const path = (n: string): string => `/api/v1/namespaces/${f.dest}/configmaps/${n}`;
  await eventually('b pruned', async () => ((await f.live(path('b'))) ? undefined : true), 30_000);
  assert.ok(await f.live(path('a')));
  assert.ok(await f.live(path('keep')), 'Prune=false keeps the object');
  const s = await f.waitFor(app, 'operation finished', (x) => x.operationState?.phase === 'Succeeded' && x.resources.every((r) => r.name !== 'b'));
  const results = s.operationState?.syncResult?.resources ?? [];
  assert.ok(results.some((r) => r.name === 'b' && r.status === 'Pruned'));
  assert.ok(results.some((r) => r.name === 'keep' && r.status === 'PruneSkipped'));
  assert.deepEqual(s.resources.filter((r) => r.requiresPruning).map((r) => r.name), ['keep']);
});

test('with prune off, a removed object stays and is reported as requiring pruning', async (t) => {
  const f = await startAppFixture(t);
  await f.push({ 'np/a.yaml': configMap('a', { v: '1' }), 'np/b.yaml': configMap('b', { v: '1' }) }, 'two');
  const app = f.appName('noprune');
  await f.ctrl.createApp(app, f.spec('np', { syncPolicy: { automated: { prune: false } } }));
  await f.waitFor(app, 'synced', (s) => s.sync.status === 'Synced' && s.resources.length === 2);
  await f.push({}, 'drop b', ['np/b.yaml']);
  const s = await f.waitFor(app, 'b requires pruning', (x) => x.resources.some((r) => r.name === 'b' && r.requiresPruning === true), 30_000);
  assert.equal(s.sync.status, 'OutOfSync');
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/b`), 'b is still there');
});
