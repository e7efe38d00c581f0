// Without an automated policy Fjord only reports: the Application is OutOfSync and nothing is
// applied until a sync operation is requested (the `operation` field, as `argocd app sync` sets it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../testing/app-fixture.js';

test('a manual Application is reported OutOfSync, then synced by a requested operation', async (t) => {
  const f = await startAppFixture(t);
  const sha = await f.push({ 'm/a.yaml': configMap('manual', { v: '1' }) }, 'manual app');
  const app = f.appName('manual');
  await f.ctrl.createApp(app, f.spec('m'));
  const before = await f.waitFor(app, 'compared', (s) => s.sync.revision === sha);
  assert.equal(before.sync.status, 'OutOfSync');
  assert.equal(before.health.status, 'Missing');
  assert.equal(before.operationState, undefined);
  assert.equal(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/manual`), undefined, 'nothing applied without a sync');

  await f.kube.request('PATCH', f.ctrl.appPath(app), {
    body: { operation: { sync: { revision: sha, prune: false }, initiatedBy: { username: 'alice' } } },
    contentType: 'application/merge-patch+json',
  });
  const after = await f.waitFor(app, 'synced by the operation', (s) => s.operationState?.phase === 'Succeeded');
  assert.equal(after.operationState?.operation.initiatedBy.username, 'alice');
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/manual`));
  assert.equal((await f.ctrl.getApp(app))['operation'], undefined, 'the request is consumed');
  await f.waitFor(app, 'Synced', (s) => s.sync.status === 'Synced');
});
