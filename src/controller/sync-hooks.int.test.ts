// A hook recorded as running that is gone when the controller looks again (it was deleted by its
// HookSucceeded policy just before a crash, or by hand): the operation neither waits forever nor runs
// the hook again; with HookSucceeded alone it counts as succeeded, otherwise it fails saying why.
// And a hook created for the running operation by a controller that died before recording it is
// adopted, not deleted and created again; one made with generateName is found by its label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testKube, testNamespace } from '../testing/cluster.js';
import { Discovery } from '../kube/discovery.js';
import type { KubeObject } from '../kube/client.js';
import { HOOK_OPERATION_ANNOTATION, runHook } from './sync-hooks.js';
import type { ResourceResult } from './app-status.js';

const job = (ns: string, policy?: string): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'Job',
  metadata: { name: 'migrate', namespace: ns, annotations: { 'argocd.argoproj.io/hook': 'PostSync', ...(policy ? { 'argocd.argoproj.io/hook-delete-policy': policy } : {}) } },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'registry.example.com/migrate:1' }] } } },
});

const running = (ns: string): ResourceResult => ({
  group: 'batch', version: 'v1', kind: 'Job', namespace: ns, name: 'migrate', status: 'Synced', message: 'created',
  syncPhase: 'PostSync', syncWave: 0, hookType: 'PostSync', hookPhase: 'Running',
});

test('a running hook that vanished: succeeded with HookSucceeded alone, failed otherwise; one made for this operation is adopted', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'hooks');
  const info = await new Discovery(kube).resourceFor('batch/v1', 'Job');
  const ctx = { kube, fieldManager: 'fjord', liveOf: () => undefined, operationId: '2026-11-22T03:00:00Z' };

  const gone = await runHook(ctx, 'PostSync', { object: job(ns, 'HookSucceeded'), info, file: 'hooks/migrate.yaml' }, running(ns));
  assert.equal(gone.progress, 'done');
  assert.match(gone.result.message, /deleted by its HookSucceeded policy/);
  const unknown = await runHook(ctx, 'PostSync', { object: job(ns), info, file: 'hooks/migrate.yaml' }, running(ns));
  assert.equal(unknown.progress, 'failed');
  assert.match(unknown.result.message, /PostSync hook Job\/migrate was deleted before its result was recorded/);

  // Created for this operation before a crash (no result recorded): adopted, same uid.
  const first = await runHook(ctx, 'PostSync', { object: job(ns, 'BeforeHookCreation'), info, file: 'hooks/migrate.yaml' }, undefined);
  assert.equal(first.progress, 'waiting');
  const created = await kube.get(`/apis/batch/v1/namespaces/${ns}/jobs/migrate`);
  assert.equal((created.metadata?.['annotations'] as Record<string, string>)[HOOK_OPERATION_ANNOTATION], ctx.operationId);
  const again = await runHook({ ...ctx, liveOf: () => created }, 'PostSync', { object: job(ns, 'BeforeHookCreation'), info, file: 'hooks/migrate.yaml' }, undefined);
  assert.equal(again.progress, 'waiting');
  const after = await kube.get(`/apis/batch/v1/namespaces/${ns}/jobs/migrate`);
  assert.equal(after.metadata?.['uid'], created.metadata?.['uid'], 'the same Job: not deleted and created again');
  assert.equal(after.metadata?.['deletionTimestamp'], undefined);
});

test('a generateName hook created before a crash is found by its label and adopted; the next operation creates its own', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'hookgen');
  const info = await new Discovery(kube).resourceFor('batch/v1', 'Job');
  const generated = (): KubeObject => {
    const base = job(ns);
    return { ...base, metadata: { generateName: 'migrate-', namespace: ns, annotations: base.metadata?.['annotations'] } };
  };
  const d = { object: generated(), info, file: 'hooks/migrate.yaml' };
  const ctx = { kube, fieldManager: 'fjord', liveOf: () => undefined, operationId: '2026-11-22T04:00:00Z' };
  const jobs = async (): Promise<string[]> => ((await kube.get(`/apis/batch/v1/namespaces/${ns}/jobs`))['items'] as KubeObject[]).map((j) => j.metadata?.name ?? '').sort();

  const first = await runHook(ctx, 'PostSync', d, undefined);
  assert.match(first.result.name, /^migrate-/);
  // The controller died before recording `first`: the restarted one runs the step again with no result.
  const again = await runHook(ctx, 'PostSync', d, undefined);
  assert.equal(again.result.name, first.result.name, 'the Job made before the crash is adopted');
  assert.deepEqual(await jobs(), [first.result.name], 'no second Job');
  // Another operation runs the hook anew.
  const next = await runHook({ ...ctx, operationId: '2026-11-22T05:00:00Z' }, 'PostSync', d, undefined);
  assert.notEqual(next.result.name, first.result.name);
  assert.equal((await jobs()).length, 2);
});
