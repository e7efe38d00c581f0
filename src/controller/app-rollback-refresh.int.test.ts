// Rollback and refresh: a sync operation naming an older revision deploys it (when automated sync is
// off) and records it in history; with automated sync on it is refused with a reason. A refresh
// annotation makes Fjord look at Git at once and is removed afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../testing/app-fixture.js';
import { eventually } from '../testing/wait.js';

interface Cm { data: { v: string } }

test('an operation with an older revision rolls back, and history records it', async (t) => {
  const f = await startAppFixture(t);
  const v1 = await f.push({ 'rb/a.yaml': configMap('a', { v: '1' }) }, 'v1');
  const app = f.appName('rollback');
  await f.ctrl.createApp(app, f.spec('rb'));
  const sync = (revision: string): Promise<unknown> => f.kube.request('PATCH', f.ctrl.appPath(app), { body: { operation: { sync: { revision }, initiatedBy: { username: 'ops' } } }, contentType: 'application/merge-patch+json' });
  await f.waitFor(app, 'compared', (s) => s.sync.revision === v1);
  await sync(v1);
  await f.waitFor(app, 'v1 deployed', (s) => s.operationState?.phase === 'Succeeded' && s.history?.length === 1);
  const v2 = await f.push({ 'rb/a.yaml': configMap('a', { v: '2' }) }, 'v2');
  await f.waitFor(app, 'v2 seen', (s) => s.sync.revision === v2);
  await sync(v2);
  await eventually('v2 live', async () => ((await f.kube.get<Cm>(`/api/v1/namespaces/${f.dest}/configmaps/a`)).data.v === '2' ? true : undefined));
  await sync(v1);
  await eventually('rolled back to v1', async () => ((await f.kube.get<Cm>(`/api/v1/namespaces/${f.dest}/configmaps/a`)).data.v === '1' ? true : undefined), 30_000);
  const s = await f.waitFor(app, 'history of three', (x) => (x.history?.length ?? 0) === 3);
  assert.deepEqual(s.history?.map((h) => h.revision), [v1, v2, v1]);
  await f.waitFor(app, 'target again, out of sync after rollback', (x) => x.sync.revision === v2 && x.sync.status === 'OutOfSync');
});

test('rollback is refused while automated sync is on; a hard refresh is consumed', async (t) => {
  const f = await startAppFixture(t);
  const v1 = await f.push({ 'auto/a.yaml': configMap('a', { v: '1' }) }, 'v1');
  await f.push({ 'auto/a.yaml': configMap('a', { v: '2' }) }, 'v2');
  const app = f.appName('norollback');
  await f.ctrl.createApp(app, f.spec('auto', { syncPolicy: { automated: {} } }));
  await f.waitFor(app, 'synced', (s) => s.sync.status === 'Synced');
  await f.kube.request('PATCH', f.ctrl.appPath(app), { body: { operation: { sync: { revision: v1 } } }, contentType: 'application/merge-patch+json' });
  const refused = await eventually('OperationRefused event', async () => {
    const list = await f.kube.get<{ items: { reason: string; message: string; involvedObject: { name: string } }[] }>(`/api/v1/namespaces/${f.ctrl.namespace}/events`);
    return list.items.find((e) => e.reason === 'OperationRefused' && e.involvedObject.name === app);
  }, 20_000);
  assert.match(refused.message, /sync to revision [0-9a-f]{40} refused: automated sync is enabled/);
  assert.equal((await f.ctrl.getApp(app))['operation'], undefined, 'the refused request is consumed');
  assert.equal((await f.kube.get<Cm>(`/api/v1/namespaces/${f.dest}/configmaps/a`)).data.v, '2');
  await f.kube.request('PATCH', f.ctrl.appPath(app), { body: { metadata: { annotations: { 'fjord.dev/refresh': 'hard' } } }, contentType: 'application/merge-patch+json' });
  await eventually('refresh annotation removed', async () => {
    const a = await f.ctrl.getApp(app);
    return (a.metadata?.['annotations'] as Record<string, string> | undefined)?.['fjord.dev/refresh'] === undefined ? true : undefined;
  }, 20_000);
});
