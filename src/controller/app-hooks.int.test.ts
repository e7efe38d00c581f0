// Resource hooks: a PreSync Job runs to completion before the app's resources are applied, a PostSync
// hook runs after them and is deleted on success (HookSucceeded), the next sync runs the PreSync hook
// again (BeforeHookCreation), and a failing hook fails the operation and runs the SyncFail hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap, deploymentYaml } from '../testing/app-fixture.js';
import { eventually } from '../testing/wait.js';

const job = (name: string, hook: string, extraSpec = '', policy = ''): string => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations:
    argocd.argoproj.io/hook: ${hook}
${policy ? `    argocd.argoproj.io/hook-delete-policy: ${policy}\n` : ''}spec:
${extraSpec}  template:
    spec:
      restartPolicy: Never
      containers:
        - name: run
          image: registry.example.com/migrate:1
`;

interface Meta { metadata: { uid: string; creationTimestamp: string; resourceVersion: string } }

test('PreSync runs before the resources, PostSync after and is deleted on success, the next sync runs PreSync again', async (t) => {
  const f = await startAppFixture(t);
  await f.push({
    'h/migrate.yaml': job('migrate', 'PreSync'),
    'h/app.yaml': deploymentYaml('app', 1),
    'h/notify.yaml': configMap('notify', { done: 'yes' }, { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }),
  }, 'hooks');
  const app = f.appName('hooks');
  await f.ctrl.createApp(app, f.spec('h', { syncPolicy: { automated: {} } }));
  const s = await f.waitFor(app, 'operation succeeded', (x) => x.operationState?.phase === 'Succeeded', 90_000);
  const results = s.operationState?.syncResult?.resources ?? [];
  const pre = results.find((r) => r.name === 'migrate');
  const post = results.find((r) => r.name === 'notify');
  assert.ok(pre && post);
  assert.equal(pre.hookPhase, 'Succeeded');
  assert.equal(pre.syncPhase, 'PreSync');
  assert.equal(post.hookPhase, 'Succeeded');
  assert.equal(post.syncPhase, 'PostSync');
  assert.deepEqual(s.resources.map((r) => r.name), ['app'], 'hooks are not resources of the Application');
  const migrate = await f.kube.get<Meta>(`/apis/batch/v1/namespaces/${f.dest}/jobs/migrate`);
  const dep = await f.kube.get<Meta>(`/apis/apps/v1/namespaces/${f.dest}/deployments/app`);
  assert.ok(Number(migrate.metadata.resourceVersion) < Number(dep.metadata.resourceVersion), 'the PreSync Job exists before the Deployment');
  await eventually('PostSync hook deleted after success', async () => ((await f.live(`/api/v1/namespaces/${f.dest}/configmaps/notify`)) ? undefined : true), 20_000);

  const second = await f.push({ 'h/app.yaml': deploymentYaml('app', 2) }, 'scale');
  await f.waitFor(app, 'second operation succeeded', (x) => x.operationState?.phase === 'Succeeded' && x.operationState.operation.sync.revision === second, 90_000);
  const again = await f.kube.get<Meta>(`/apis/batch/v1/namespaces/${f.dest}/jobs/migrate`);
  assert.notEqual(again.metadata.uid, migrate.metadata.uid, 'BeforeHookCreation: the hook ran again as a new object');
});

test('a failing PreSync hook fails the operation, runs SyncFail, and applies nothing', async (t) => {
  const f = await startAppFixture(t);
  await f.push({
    'f/migrate.yaml': job('migrate', 'PreSync', '  parallelism: 0\n  activeDeadlineSeconds: 2\n'),
    'f/app.yaml': deploymentYaml('app', 1),
    'f/alert.yaml': configMap('alert', { failed: 'yes' }, { 'argocd.argoproj.io/hook': 'SyncFail' }),
  }, 'failing hook');
  const app = f.appName('hookfail');
  await f.ctrl.createApp(app, f.spec('f', { syncPolicy: { automated: {} } }));
  const s = await f.waitFor(app, 'operation failed', (x) => x.operationState?.phase === 'Failed', 90_000);
  assert.match(s.operationState?.message ?? '', /PreSync hook Job\/migrate failed/);
  assert.equal(await f.live(`/apis/apps/v1/namespaces/${f.dest}/deployments/app`), undefined, 'nothing applied after a failed PreSync hook');
  await eventually('SyncFail hook created', async () => ((await f.live(`/api/v1/namespaces/${f.dest}/configmaps/alert`)) ? true : undefined), 20_000);
  assert.ok(s.conditions.some((c) => c.type === 'SyncError'));
});
