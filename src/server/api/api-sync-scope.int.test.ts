// A sync through the API can be narrowed, rehearsed and stopped: selected resources only (the others
// stay OutOfSync, no hooks run), a dry run that changes nothing and says what it would do, and a
// termination of a sync stuck waiting for a wave that never becomes healthy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../../testing/app-fixture.js';
import { startTestServer } from '../../testing/server.js';

const pendingClaim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: never-bound
  annotations:
    argocd.argoproj.io/sync-wave: "0"
spec:
  storageClassName: does-not-exist
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`;

test('selected resources, dry run and terminate', async (t) => {
  const f = await startAppFixture(t);
  const sha = await f.push({
    's/a.yaml': configMap('scope-a', { v: '1' }),
    's/b.yaml': configMap('scope-b', { v: '1' }),
    's/hook.yaml': configMap('scope-hook', { v: '1' }, { 'argocd.argoproj.io/hook': 'PreSync' }),
    'w/claim.yaml': pendingClaim,
    'w/later.yaml': configMap('after-claim', { v: '1' }, { 'argocd.argoproj.io/sync-wave': '1' }),
  }, 'scope fixtures');
  const app = f.appName('scope');
  const stuck = f.appName('stuck');
  await f.ctrl.createApp(app, f.spec('s'));
  await f.ctrl.createApp(stuck, f.spec('w'));
  const server = await startTestServer(t, f.ctrl);
  const admin = await server.token('alice', ['role:admin']);
  const post = async (name: string, body: unknown): Promise<void> => {
    const res = await server.call(admin, `/api/v1/applications/${name}/sync`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(res.status, 200, await res.text());
  };
  const cm = (name: string): Promise<unknown> => f.live(`/api/v1/namespaces/${f.dest}/configmaps/${name}`);
  await f.waitFor(app, 'compared', (s) => s.sync.revision === sha);

  // Dry run: Succeeded, says what it would do, nothing applied, no history.
  await post(app, { dryRun: true, prune: true });
  const dry = await f.waitFor(app, 'dry run done', (s) => s.operationState?.operation.sync.dryRun === true && s.operationState.phase === 'Succeeded');
  assert.match(dry.operationState?.message ?? '', /dry run: 2 to apply/);
  assert.equal(await cm('scope-a'), undefined);
  assert.equal(dry.history, undefined);
  assert.equal(dry.sync.status, 'OutOfSync');

  // Selected resource only: scope-a applied, scope-b and the PreSync hook not.
  await post(app, { resources: [{ group: '', kind: 'ConfigMap', namespace: f.dest, name: 'scope-a' }] });
  const partial = await f.waitFor(app, 'selective sync done', (s) => s.operationState?.phase === 'Succeeded' && s.operationState.operation.sync.resources?.length === 1);
  assert.ok(await cm('scope-a'));
  assert.equal(await cm('scope-b'), undefined);
  assert.equal(await cm('scope-hook'), undefined, 'no hooks in a selective sync');
  assert.equal(partial.resources.find((r) => r.name === 'scope-b')?.status, 'OutOfSync');

  // Terminate: the sync waits for a claim that is never bound; terminating fails it and stops there.
  await post(stuck, {});
  await f.waitFor(stuck, 'waiting on wave 0', (s) => s.operationState?.phase === 'Running' && /waiting/.test(s.operationState.message));
  const res = await server.call(admin, `/api/v1/applications/${stuck}/operation`, { method: 'DELETE' });
  assert.equal(res.status, 200, await res.text());
  const ended = await f.waitFor(stuck, 'terminated', (s) => s.operationState?.phase === 'Failed');
  assert.equal(ended.operationState?.message, 'Operation terminated');
  assert.equal(await cm('after-claim'), undefined, 'the later wave was never applied');
});
