// A controller stopped in the middle of a sync resumes from status.operationState: the running hook
// is not started a second time, and the sync finishes once the hook completes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerManager } from './manager.js';
import { DEFAULT_CONFIG } from './config.js';
import { FJORD } from '../api/flavor.js';
import { KubeClient } from '../kube/client.js';
import { createLogger } from '../util/log.js';
import { startAppFixture, deploymentYaml } from '../testing/app-fixture.js';
import { defer } from '../testing/cleanup.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('a sync waiting on a PreSync hook survives a controller restart without running the hook twice', async (t) => {
  const f = await startAppFixture(t);
  await f.push({
    'resume/migrate.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  parallelism: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: registry.example.com/migrate:1}]
`,
    'resume/app.yaml': deploymentYaml('app', 1),
  }, 'slow hook');
  const app = f.appName('resume');
  await f.ctrl.createApp(app, f.spec('resume', { syncPolicy: { automated: {} } }));
  // Running with the hook recorded as created (the operation is recorded before its first hook, with
  // the message "sync started: hooks and waves follow", and the Job comes after that).
  await f.waitFor(app, 'waiting on the hook', (x) => x.operationState?.phase === 'Running'
    && (x.operationState.syncResult?.resources ?? []).some((r) => r.hookType === 'PreSync' && r.hookPhase === 'Running'), 60_000);
  const jobPath = `/apis/batch/v1/namespaces/${f.dest}/jobs/migrate`;
  const before = await f.kube.get<{ metadata: { uid: string } }>(jobPath);
  await f.ctrl.manager.stop();

  const kube = new KubeClient(f.kube.access);
  const second = await ControllerManager.start({
    kube, flavor: FJORD, namespace: f.ctrl.namespace, cacheDir: mkdtempSync(join(tmpdir(), 'fjord-cache-')),
    log: createLogger({ write: () => undefined }), config: { ...DEFAULT_CONFIG, pollIntervalMs: 500 },
  });
  defer(t, async () => { await second.stop(); await kube.close(); });
  await new Promise((r) => setTimeout(r, 3000));
  const during = await f.kube.get<{ metadata: { uid: string } }>(jobPath);
  assert.equal(during.metadata.uid, before.metadata.uid, 'the hook was not started again');
  assert.equal((await f.status(app))?.operationState?.phase, 'Running');
  assert.equal(await f.live(`/apis/apps/v1/namespaces/${f.dest}/deployments/app`), undefined, 'nothing past the hook was applied');

  await f.kube.request('PATCH', jobPath, { body: { spec: { parallelism: 1 } }, contentType: 'application/merge-patch+json' });
  await f.waitFor(app, 'sync finished', (x) => x.operationState?.phase === 'Succeeded', 60_000);
  assert.ok(await f.live(`/apis/apps/v1/namespaces/${f.dest}/deployments/app`));
});
