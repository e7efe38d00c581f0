// Sync waves: a later wave is applied only after the earlier one is healthy, across kinds, and the
// operation reports each wave's resources; CreateNamespace creates the destination first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startAppFixture, configMap, deploymentYaml } from '../testing/app-fixture.js';
import { defer } from '../testing/cleanup.js';

interface Meta { metadata: { creationTimestamp: string; resourceVersion: string } }

test('waves apply in order (wave -1 before 0 before 1), each after the previous is healthy', async (t) => {
  const f = await startAppFixture(t);
  const withWave = (yaml: string, wave: number): string => yaml.replace('metadata:\n', `metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"\n`);
  await f.push({
    'w/db.yaml': withWave(deploymentYaml('db', 1), -1),
    'w/app.yaml': deploymentYaml('app', 2),
    'w/smoke.yaml': withWave(configMap('smoke', { check: 'after app' }), 1),
  }, 'three waves');
  const app = f.appName('waves');
  await f.ctrl.createApp(app, f.spec('w', { syncPolicy: { automated: {} } }));
  const s = await f.waitFor(app, 'synced', (x) => x.operationState?.phase === 'Succeeded' && x.sync.status === 'Synced' && x.health.status === 'Healthy', 60_000);
  const rv = async (path: string): Promise<number> => Number((await f.kube.get<Meta>(path)).metadata.resourceVersion);
  const db = await f.kube.get<Meta>(`/apis/apps/v1/namespaces/${f.dest}/deployments/db`);
  const appDep = await f.kube.get<Meta>(`/apis/apps/v1/namespaces/${f.dest}/deployments/app`);
  const smokeRv = await rv(`/api/v1/namespaces/${f.dest}/configmaps/smoke`);
  assert.ok(Date.parse(db.metadata.creationTimestamp) <= Date.parse(appDep.metadata.creationTimestamp));
  const rs = await f.kube.get<{ items: { metadata: { name: string; resourceVersion: string } }[] }>(`/apis/apps/v1/namespaces/${f.dest}/replicasets`);
  const appRsRv = Math.min(...rs.items.filter((r) => r.metadata.name.startsWith('app-')).map((r) => Number(r.metadata.resourceVersion)));
  assert.ok(smokeRv > appRsRv, 'wave 1 was created after wave 0 had its ReplicaSet (it waited for health)');
  assert.deepEqual(s.resources.map((r) => `${r.name}:${String(r.syncWave)}`).sort(), ['app:0', 'db:-1', 'smoke:1']);
});

test('CreateNamespace=true creates the destination namespace with managedNamespaceMetadata', async (t) => {
  const f = await startAppFixture(t);
  await f.push({ 'ns/a.yaml': configMap('a', { v: '1' }) }, 'one');
  const app = f.appName('createns');
  const ns = `created-${randomBytes(3).toString('hex')}`;
  defer(t, () => f.kube.delete(`/api/v1/namespaces/${ns}`));
  await f.ctrl.createApp(app, {
    ...f.spec('ns'),
    destination: { server: 'https://kubernetes.default.svc', namespace: ns },
    syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'], managedNamespaceMetadata: { labels: { team: 'payments' } } },
  });
  await f.waitFor(app, 'synced', (x) => x.sync.status === 'Synced');
  const created = await f.kube.get<{ metadata: { labels: Record<string, string> } }>(`/api/v1/namespaces/${ns}`);
  assert.equal(created.metadata.labels['team'], 'payments');
  assert.ok(await f.live(`/api/v1/namespaces/${ns}/configmaps/a`));
});
