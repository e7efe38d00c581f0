// Discovery against the real test cluster: built-in kinds in both discovery formats, a CRD installed
// while a Discovery is already cached, and the error for a kind nobody serves.
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from './client.js';
import { Discovery, type ResourceInfo } from './discovery.js';
import { collectionPath, objectPath } from './paths.js';
import { testKube, testNamespace } from '../testing/cluster.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { eventually } from '../testing/wait.js';

const pick = (r: ResourceInfo): Omit<ResourceInfo, 'verbs'> => ({ group: r.group, version: r.version, kind: r.kind, resource: r.resource, namespaced: r.namespaced });
const id = (r: ResourceInfo): string => `${r.group}/${r.version}/${r.resource}`;

for (const aggregated of [true, false]) {
  const mode = aggregated ? 'aggregated discovery' : 'per-group-version discovery';

  test(`${mode}: built-in kinds resolve to their plural, scope and verbs`, async (t) => {
    const discovery = new Discovery(testKube(t), { aggregated });
    const configMap = await discovery.resourceFor('v1', 'ConfigMap');
    assert.deepEqual(pick(configMap), { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true });
    assert.ok(configMap.verbs.includes('watch') && configMap.verbs.includes('create'));
    assert.deepEqual(pick(await discovery.resourceFor('apps/v1', 'Deployment')), { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true });
    assert.deepEqual(pick(await discovery.resourceFor('v1', 'Namespace')), { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false });
    assert.deepEqual(pick(await discovery.resourceFor('rbac.authorization.k8s.io/v1', 'ClusterRole')),
      { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', resource: 'clusterroles', namespaced: false });
  });

  test(`${mode}: all resources are the listable, watchable ones of each group's preferred version`, async (t) => {
    const all = await new Discovery(testKube(t), { aggregated }).allResources();
    const ids = all.map(id);
    for (const want of ['/v1/configmaps', '/v1/namespaces', 'apps/v1/deployments', 'apiextensions.k8s.io/v1/customresourcedefinitions']) assert.ok(ids.includes(want), want);
    assert.ok(all.every((r) => r.verbs.includes('list') && r.verbs.includes('watch') && !r.resource.includes('/')));
    assert.ok(!ids.includes('/v1/bindings'), 'bindings can only be created');
    assert.ok(ids.includes('autoscaling/v2/horizontalpodautoscalers') && !ids.includes('autoscaling/v1/horizontalpodautoscalers'), 'only the preferred version');
    assert.equal(new Set(ids).size, ids.length);
  });
}

test('both discovery formats describe the same resources', async (t) => {
  const kube = testKube(t);
  const [a, b] = await Promise.all([new Discovery(kube).allResources(), new Discovery(kube, { aggregated: false }).allResources()]);
  const describe = (rs: ResourceInfo[]): string[] => rs.map((r) => `${id(r)} ${r.kind} ${String(r.namespaced)} ${[...r.verbs].sort().join(',')}`).sort();
  assert.deepEqual(describe(a), describe(b));
});

function widgetCrd(group: string): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group, scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}

async function installCrd(t: TestContext, kube: KubeClient, group: string): Promise<void> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`;
  await kube.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd(group));
  t.after(async () => {
    const cleanup = new KubeClient(kube.access);
    try { await cleanup.delete(path); } finally { await cleanup.close(); }
  });
  interface Crd { status?: { conditions?: { type: string; status: string }[] } }
  await eventually(`CRD widgets.${group} established`, async () =>
    (await kube.get<Crd>(path)).status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined);
}

test('a CRD installed after discovery was cached is found by refreshing on the miss', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube);
  const discovery = new Discovery(kube);
  await discovery.resourceFor('v1', 'ConfigMap');
  const group = `widgets-${randomBytes(4).toString('hex')}.test.fjord.dev`;
  await assert.rejects(discovery.resourceFor(`${group}/v1`, 'Widget'), /no resource for kind Widget/);
  await installCrd(t, kube, group);
  // The API server publishes a new CRD in discovery shortly after it is Established; no explicit refresh() here.
  const widget = await eventually('Widget discoverable', async () => discovery.resourceFor(`${group}/v1`, 'Widget'), 15_000);
  assert.deepEqual(pick(widget), { group, version: 'v1', kind: 'Widget', resource: 'widgets', namespaced: true });
  assert.ok((await discovery.allResources()).some((r) => r.group === group), 'allResources sees the refreshed cache');
  await kube.create(collectionPath(widget, ns), { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } });
  const back = await kube.get<{ spec: { size: number } }>(objectPath(widget, 'w1', ns));
  assert.equal(back.spec.size, 3);
});

test('an unknown kind is an error that names the kind, the apiVersion and the likely cause', async (t) => {
  const discovery = new Discovery(testKube(t));
  await assert.rejects(discovery.resourceFor('v1', 'Gizmo'), { message: 'no resource for kind Gizmo in apiVersion v1: is its CRD installed?' });
  await assert.rejects(discovery.resourceFor('nothing.example.com/v1', 'Thing'), { message: 'no resource for kind Thing in apiVersion nothing.example.com/v1: is its CRD installed?' });
  await assert.rejects(discovery.resourceFor('apps/v1beta1', 'Deployment'), /no resource for kind Deployment in apiVersion apps\/v1beta1/);
  await assert.rejects(discovery.resourceFor('a/b/c', 'X'), /invalid apiVersion "a\/b\/c"/);
});

test('discovery is cached: concurrent lookups share one fetch, and a miss refreshes once', async (t) => {
  const proxy = await FaultProxy.start(testKube(t).access);
  t.after(() => proxy.close());
  const kube = new KubeClient(proxy.access);
  t.after(() => kube.close());
  const discovery = new Discovery(kube);
  const found = await Promise.all(['ConfigMap', 'Secret', 'Service', 'Pod'].map((k) => discovery.resourceFor('v1', k)));
  assert.deepEqual(found.map((r) => r.resource), ['configmaps', 'secrets', 'services', 'pods']);
  assert.deepEqual([...proxy.requests].sort(), ['GET /api', 'GET /apis']);
  await discovery.resourceFor('apps/v1', 'Deployment');
  await discovery.allResources();
  assert.equal(proxy.requests.length, 2, 'answered from the cache');
  await assert.rejects(discovery.resourceFor('v1', 'Gizmo'));
  assert.equal(proxy.requests.length, 4, 'one refresh for the miss');
});

test('an unreachable API server is reported with its cause', async () => {
  const dead = new KubeClient({ server: 'https://127.0.0.1:1', insecureSkipTlsVerify: true });
  const err = await new Discovery(dead).refresh().then(() => undefined, (e: unknown) => e as Error);
  await dead.close();
  assert.match(err?.message ?? '', /^API discovery at https:\/\/127\.0\.0\.1:1 failed: GET \/api.*cannot reach the API server/);
  assert.ok(err?.cause instanceof Error);
});
