// A sync request (the Application's `operation` field) is consumed by the reconcile that acted on it,
// and only that one: a request written meanwhile (a person clicking Sync again, a rollback right
// after a sync) must survive the consumption of the previous one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FJORD } from '../api/flavor.js';
import { install } from '../install/install.js';
import type { KubeObject } from '../kube/client.js';
import { testKube, testNamespace } from '../testing/cluster.js';
import type { ControllerDeps } from './app-context.js';
import { consumeRequest, TERMINATE_ANNOTATION } from './app-operation.js';
import { WrittenApps } from './written-apps.js';

test('consuming a sync request never removes a newer one written meanwhile', async (t) => {
  const kube = testKube(t);
  await install(kube, FJORD);
  const ns = await testNamespace(t, kube, 'oprq');
  const flavor = { ...FJORD, namespace: ns };
  const deps = { kube, flavor, written: new WrittenApps() } as unknown as ControllerDeps;
  const base = `/apis/${FJORD.group}/${FJORD.version}/namespaces/${ns}/applications`;
  const request = (revision: string): Record<string, unknown> => ({ sync: { revision }, initiatedBy: { username: 'ops' } });
  await kube.create(base, {
    apiVersion: `${FJORD.group}/${FJORD.version}`, kind: 'Application', metadata: { name: 'app', namespace: ns },
    spec: { project: 'default', source: { repoURL: 'https://git.example/org/config.git', targetRevision: 'main', path: 'app' }, destination: { server: 'https://kubernetes.default.svc', namespace: ns } },
    operation: request('v2'),
  });
  const patchOperation = (op: unknown): Promise<KubeObject> => kube.request('PATCH', `${base}/app`, { body: { operation: op }, contentType: 'application/merge-patch+json' });

  // The reconcile read the v2 request; a rollback to v1 is written before it consumes v2.
  const seen = await kube.get(`${base}/app`);
  await patchOperation(request('v1'));
  await consumeRequest(deps, seen);
  assert.deepEqual((await kube.get(`${base}/app`))['operation'], request('v1'), 'the newer request survives');

  // The same request, only the version moved (a status write of our own): it is consumed.
  const current = await kube.get(`${base}/app`);
  await kube.request('PATCH', `${base}/app/status`, { body: { status: { reconciledAt: new Date().toISOString() } }, contentType: 'application/merge-patch+json' });
  await consumeRequest(deps, current);
  assert.equal((await kube.get(`${base}/app`))['operation'], undefined, 'consumed despite the moved resourceVersion');

  // A termination whose request was replaced: the termination annotation goes, the new request stays.
  await patchOperation(request('v3'));
  const terminating = await kube.get(`${base}/app`);
  await kube.request('PATCH', `${base}/app`, { body: { metadata: { annotations: { [TERMINATE_ANNOTATION]: 'true' } } }, contentType: 'application/merge-patch+json' });
  await patchOperation(request('v4'));
  await consumeRequest(deps, terminating, { [TERMINATE_ANNOTATION]: null });
  const after = await kube.get(`${base}/app`);
  assert.deepEqual(after['operation'], request('v4'));
  assert.equal((after.metadata?.['annotations'] as Record<string, string> | undefined)?.[TERMINATE_ANNOTATION], undefined);
});
