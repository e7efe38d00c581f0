// App of apps (seed 003, "GitOps the GitOps configuration"): an Application whose path holds
// Application manifests manages them like any resource, in sync-wave order, and its health is the
// worst of its children's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../testing/app-fixture.js';

test('a parent Application creates its child Applications in wave order and reports their health', async (t) => {
  const f = await startAppFixture(t);
  const child = (name: string, path: string, wave: number): string => `apiVersion: fjord.dev/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: ${f.ctrl.namespace}
  annotations:
    argocd.argoproj.io/sync-wave: "${wave}"
spec:
  project: default
  source: {repoURL: "${f.repoURL}", targetRevision: main, path: ${path}}
  destination: {server: "https://kubernetes.default.svc", namespace: ${f.dest}}
  syncPolicy: {automated: {prune: true}}
`;
  const infra = f.appName('infra');
  const web = f.appName('web');
  await f.push({
    'apps/infra.yaml': child(infra, 'infra', -1),
    'apps/web.yaml': child(web, 'web', 0),
    'infra/cm.yaml': configMap('infra-settings', { tier: 'infra' }),
    'web/cm.yaml': configMap('web-settings', { tier: 'web' }),
  }, 'app of apps');
  const parent = f.appName('root');
  await f.ctrl.createApp(parent, { ...f.spec('apps'), syncPolicy: { automated: { prune: true } } });
  const s = await f.waitFor(parent, 'parent Synced and Healthy', (x) => x.sync.status === 'Synced' && x.health.status === 'Healthy' && x.operationState?.phase === 'Succeeded', 90_000);
  assert.deepEqual(s.resources.map((r) => `${r.kind}/${r.name}`).sort(), [`Application/${infra}`, `Application/${web}`].sort());
  await f.waitFor(infra, 'infra synced', (x) => x.sync.status === 'Synced');
  await f.waitFor(web, 'web synced', (x) => x.sync.status === 'Synced');
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/infra-settings`));
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/web-settings`));
  const infraApp = await f.ctrl.getApp(infra);
  const webApp = await f.ctrl.getApp(web);
  assert.ok(Number(infraApp.metadata?.resourceVersion) > 0 && Date.parse(String(infraApp.metadata?.['creationTimestamp'])) <= Date.parse(String(webApp.metadata?.['creationTimestamp'])), 'wave -1 child first');

  await f.push({}, 'drop web', ['apps/web.yaml']);
  await f.waitFor(parent, 'web child pruned from the parent', (x) => x.resources.length === 1 && x.sync.status === 'Synced', 60_000);
});
