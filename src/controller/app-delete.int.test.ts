// Deleting an Application: with the resources finalizer its objects are deleted first (except
// Delete=false ones); without it the objects stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../testing/app-fixture.js';
import { eventually } from '../testing/wait.js';

test('the resources finalizer cascades the delete; Delete=false objects are left', async (t) => {
  const f = await startAppFixture(t);
  await f.push({ 'd/a.yaml': configMap('a', { v: '1' }), 'd/keep.yaml': configMap('keep', { v: '1' }, { 'argocd.argoproj.io/sync-options': 'Delete=false' }) }, 'two');
  const app = f.appName('cascade');
  await f.ctrl.createApp(app, f.spec('d', { syncPolicy: { automated: {} } }), { metadata: { finalizers: ['resources-finalizer.fjord.dev'] } });
  await f.waitFor(app, 'synced', (s) => s.sync.status === 'Synced' && s.resources.length === 2);
  await f.kube.delete(f.ctrl.appPath(app));
  await eventually('application gone', async () => ((await f.kube.getOrUndefined(f.ctrl.appPath(app))) ? undefined : true), 30_000);
  assert.equal(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/a`), undefined, 'a was deleted with its Application');
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/keep`), 'Delete=false keeps the object');
});

test('without the finalizer, deleting the Application leaves its objects running', async (t) => {
  const f = await startAppFixture(t);
  await f.push({ 'o/a.yaml': configMap('orphan', { v: '1' }) }, 'one');
  const app = f.appName('orphan');
  await f.ctrl.createApp(app, f.spec('o', { syncPolicy: { automated: {} } }));
  await f.waitFor(app, 'synced', (s) => s.sync.status === 'Synced');
  await f.kube.delete(f.ctrl.appPath(app));
  await eventually('application gone', async () => ((await f.kube.getOrUndefined(f.ctrl.appPath(app))) ? undefined : true), 30_000);
  await new Promise((r) => setTimeout(r, 1000));
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/orphan`));
});
