// Applications deploy to other clusters registered by cluster Secrets (Argo CD's format): objects
// land on the destination cluster only, self-heal and cascade deletion work there, and an unknown
// cluster or one with wrong credentials gives a condition naming the cluster while other
// Applications keep working.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../kube/client.js';
import { loadKubeconfig, type ClusterAccess } from '../kube/kubeconfig.js';
import { startAppFixture, configMap, type AppFixture } from '../testing/app-fixture.js';
import { testKube, testKubeconfig } from '../testing/cluster.js';
import { eventually } from '../testing/wait.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function secretData(name: string, server: string, access: ClusterAccess, token = access.token): Record<string, string> {
  const config = { bearerToken: token, tlsClientConfig: { insecure: false, caData: b64(access.caPem ?? '') } };
  return { name: b64(name), server: b64(server), config: b64(JSON.stringify(config)) };
}

async function registerCluster(f: AppFixture, secretName: string, data: Record<string, string>): Promise<string> {
  const path = `/api/v1/namespaces/${f.ctrl.namespace}/secrets`;
  await f.kube.create(path, { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, labels: { [f.ctrl.flavor.secretTypeLabel]: 'cluster' } }, data });
  return `${path}/${secretName}`;
}

/** The fixture's destination namespace, created on cluster 2 as well (it exists on cluster 1 already). */
async function secondCluster(t: TestContext, f: AppFixture): Promise<{ kube2: KubeClient; access: ClusterAccess }> {
  const kube2 = testKube(t, 2);
  await kube2.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: f.dest, labels: { 'fjord.dev/test': 'true' } } });
  t.after(async () => {
    const cleanup = new KubeClient(kube2.access);
    try { await cleanup.delete(`/api/v1/namespaces/${f.dest}`); } finally { await cleanup.close(); }
  });
  return { kube2, access: loadKubeconfig(testKubeconfig(2)) };
}

const cmPath = (ns: string, name: string): string => `/api/v1/namespaces/${ns}/configmaps/${name}`;

test('Applications deploy to a registered cluster by server and by name, self-heal there, and are deleted from there', async (t) => {
  const f = await startAppFixture(t);
  const { kube2, access } = await secondCluster(t, f);
  await registerCluster(f, 'second', secretData('second', access.server, access));
  await f.push({ 'by-server/cm.yaml': configMap('by-server', { where: 'two' }), 'by-name/cm.yaml': configMap('by-name', { where: 'two' }) }, 'two apps');
  const byServer = f.appName('srv');
  const byName = f.appName('name');
  const automated = { syncPolicy: { automated: { prune: true, selfHeal: true } } };
  const finalizer = { metadata: { finalizers: [f.ctrl.flavor.resourcesFinalizer] } };
  await f.ctrl.createApp(byServer, f.spec('by-server', { destination: { server: access.server, namespace: f.dest }, ...automated }), finalizer);
  await f.ctrl.createApp(byName, f.spec('by-name', { destination: { name: 'second', namespace: f.dest }, ...automated }));
  for (const app of [byServer, byName]) {
    const s = await f.waitFor(app, `${app} Synced and Healthy`, (x) => x.sync.status === 'Synced' && x.health.status === 'Healthy' && x.resources.length === 1);
    assert.equal(s.operationState?.phase, 'Succeeded');
    assert.deepEqual(s.conditions, []);
  }
  for (const name of ['by-server', 'by-name']) {
    const live = await kube2.get<{ data: Record<string, string>; metadata: { annotations: Record<string, string> } }>(cmPath(f.dest, name));
    assert.equal(live.data['where'], 'two');
    assert.match(live.metadata.annotations['fjord.dev/tracking-id'] ?? '', /^(srv|name)-/);
    assert.equal(await f.kube.getOrUndefined(cmPath(f.dest, name)), undefined, `${name} must not be applied to the controller's cluster`);
  }

  const deletedAt = Date.now();
  await kube2.delete(cmPath(f.dest, 'by-server'));
  await eventually('deleted object recreated on cluster 2', async () => ((await kube2.getOrUndefined(cmPath(f.dest, 'by-server'))) ? true : undefined), 20_000);
  t.diagnostic(`self-heal on the second cluster in ${Date.now() - deletedAt} ms`);
  await kube2.request('PATCH', cmPath(f.dest, 'by-name'), { body: { data: { where: 'edited' } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'kubectl-edit' } });
  await eventually('edit reverted on cluster 2', async () => ((await kube2.get<{ data: Record<string, string> }>(cmPath(f.dest, 'by-name'))).data['where'] === 'two' ? true : undefined), 20_000);
  assert.equal(await f.kube.getOrUndefined(cmPath(f.dest, 'by-server')), undefined);

  await f.kube.delete(f.ctrl.appPath(byServer));
  await eventually('cascade delete on cluster 2', async () => ((await kube2.getOrUndefined(cmPath(f.dest, 'by-server'))) ? undefined : true), 20_000);
  await eventually('Application gone', async () => ((await f.kube.getOrUndefined(f.ctrl.appPath(byServer))) ? undefined : true), 20_000);
  assert.ok(await kube2.getOrUndefined(cmPath(f.dest, 'by-name')), 'the other Application\'s object stays');
});

test('an unknown cluster and wrong credentials give conditions naming the cluster; other Applications keep working', async (t) => {
  const f = await startAppFixture(t);
  const { kube2, access } = await secondCluster(t, f);
  await registerCluster(f, 'second', secretData('second', access.server, access));
  // The same cluster under another name in its certificate, with a token it does not accept.
  const badServer = access.server.replace('127.0.0.1', 'localhost');
  const badSecret = await registerCluster(f, 'second-bad', secretData('second-bad', badServer, access, 'not-a-valid-token'));
  await f.push({ 'ok/cm.yaml': configMap('ok', { v: '1' }), 'unknown/cm.yaml': configMap('unknown', { v: '1' }), 'bad/cm.yaml': configMap('bad', { v: '1' }) }, 'three apps');
  const automated = { syncPolicy: { automated: { prune: true, selfHeal: true } } };
  const unknown = f.appName('unknown');
  await f.ctrl.createApp(unknown, f.spec('unknown', { destination: { server: 'https://no-such-cluster.example.com:6443', namespace: f.dest }, ...automated }), { metadata: { finalizers: [f.ctrl.flavor.resourcesFinalizer] } });
  const bad = f.appName('bad');
  await f.ctrl.createApp(bad, f.spec('bad', { destination: { server: badServer, namespace: f.dest }, ...automated }));
  const ok = f.appName('ok');
  await f.ctrl.createApp(ok, f.spec('ok', { destination: { server: access.server, namespace: f.dest }, ...automated }));

  const u = await f.waitFor(unknown, 'unknown cluster condition', (x) => x.conditions.length > 0);
  const [uc] = u.conditions;
  assert.ok(uc);
  assert.equal(uc.type, 'InvalidSpecError');
  assert.match(uc.message, /cluster https:\/\/no-such-cluster\.example\.com:6443 is not registered: add a cluster Secret labelled fjord\.dev\/secret-type=cluster/);
  const b = await f.waitFor(bad, 'wrong credentials condition', (x) => x.conditions.length > 0);
  const message = b.conditions[0]?.message ?? '';
  assert.ok(message.includes(`cluster ${badServer} (second-bad)`), message);
  assert.match(message, /\(401\)/);
  t.diagnostic(`wrong credentials: ${message}`);
  assert.doesNotMatch(message, /not-a-valid-token/);
  await f.waitFor(ok, 'the good Application synced', (x) => x.sync.status === 'Synced' && x.health.status === 'Healthy' && x.resources.length === 1);
  for (const name of ['unknown', 'bad']) {
    assert.equal(await kube2.getOrUndefined(cmPath(f.dest, name)), undefined, `${name} applied to cluster 2`);
    assert.equal(await f.kube.getOrUndefined(cmPath(f.dest, name)), undefined, `${name} applied to cluster 1`);
  }

  // Fixing the Secret rebuilds the cluster's client: the Application recovers without a restart.
  await f.kube.request('PATCH', badSecret, { body: { data: secretData('second-bad', badServer, access) }, contentType: 'application/merge-patch+json' });
  await f.waitFor(bad, 'recovered after the Secret was fixed', (x) => x.sync.status === 'Synced' && x.conditions.length === 0, 30_000);
  assert.ok(await kube2.getOrUndefined(cmPath(f.dest, 'bad')));

  // An Application whose cluster is not registered can still be deleted (nothing to delete there).
  await f.kube.delete(f.ctrl.appPath(unknown));
  await eventually('Application to an unknown cluster deleted', async () => ((await f.kube.getOrUndefined(f.ctrl.appPath(unknown))) ? undefined : true), 20_000);
});
