// The local control plane is a real cluster: controllers, scheduler, garbage collection and KWOK nodes
// do their jobs, and kubectl works with the kubeconfig it prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec } from '../../exec/exec.js';
import { binaryPath } from '../paths.js';
import { testKube, testKubeconfig, testNamespace } from '../../testing/cluster.js';
import { eventually } from '../../testing/wait.js';

interface List<T> { items: T[] }
interface Deploy { status?: { readyReplicas?: number; availableReplicas?: number } }
interface Pod { metadata: { name: string; ownerReferences?: { kind: string; name: string }[] }; spec: { nodeName?: string }; status: { phase?: string; conditions?: { type: string; status: string }[] } }

function deployment(name: string, replicas: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] } },
    },
  };
}

test('a Deployment gets a ReplicaSet and Pods that are scheduled on KWOK nodes and become Ready', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube);
  await kube.create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment('web', 3));
  const ready = await eventually('3 ready replicas', async () => {
    const d = await kube.get<Deploy>(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
    return d.status?.readyReplicas === 3 ? d : undefined;
  });
  assert.equal(ready.status?.availableReplicas, 3);
  const rs = await kube.get<List<{ metadata: { ownerReferences?: { name: string }[] } }>>(`/apis/apps/v1/namespaces/${ns}/replicasets`);
  assert.equal(rs.items.length, 1);
  assert.equal(rs.items[0]?.metadata.ownerReferences?.[0]?.name, 'web');
  const pods = await kube.get<List<Pod>>(`/api/v1/namespaces/${ns}/pods`);
  assert.equal(pods.items.length, 3);
  for (const p of pods.items) {
    assert.match(p.spec.nodeName ?? '', /^kwok-node-/);
    assert.equal(p.status.phase, 'Running');
    assert.equal(p.status.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  }
});

test('scaling down removes Pods, and deleting a Deployment garbage-collects its ReplicaSet and Pods', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube);
  await kube.create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment('api', 2));
  await eventually('2 pods', async () => ((await kube.get<List<Pod>>(`/api/v1/namespaces/${ns}/pods`)).items.length === 2 ? true : undefined));
  await kube.request('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/api`, { body: { spec: { replicas: 1 } }, contentType: 'application/merge-patch+json' });
  await eventually('1 pod after scale down', async () => ((await kube.get<List<Pod>>(`/api/v1/namespaces/${ns}/pods`)).items.length === 1 ? true : undefined));
  await kube.delete(`/apis/apps/v1/namespaces/${ns}/deployments/api`);
  await eventually('replica sets and pods gone', async () => {
    const rs = await kube.get<List<unknown>>(`/apis/apps/v1/namespaces/${ns}/replicasets`);
    const pods = await kube.get<List<unknown>>(`/api/v1/namespaces/${ns}/pods`);
    return rs.items.length === 0 && pods.items.length === 0 ? true : undefined;
  });
});

test('deleting a namespace with workloads in it finishes', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'gc');
  await kube.create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment('db', 1));
  await kube.create(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } });
  await eventually('pod running', async () => ((await kube.get<List<Pod>>(`/api/v1/namespaces/${ns}/pods`)).items.length === 1 ? true : undefined));
  await kube.delete(`/api/v1/namespaces/${ns}`);
  await eventually(`namespace ${ns} gone`, async () => ((await kube.getOrUndefined(`/api/v1/namespaces/${ns}`)) ? undefined : true), 90_000);
});

test('kubectl works with the kubeconfig the cluster prints', async () => {
  const env = { ...process.env, KUBECONFIG: testKubeconfig() };
  const nodes = await exec(binaryPath('kubectl'), ['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}'], { env });
  assert.deepEqual(nodes.stdout.trim().split('\n').sort(), ['kwok-node-0=True', 'kwok-node-1=True']);
  const version = await exec(binaryPath('kubectl'), ['version', '-o', 'json'], { env });
  assert.equal((JSON.parse(version.stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion, 'v1.36.3');
});

test('the two test clusters are separate clusters', async (t) => {
  const a = testKube(t, 1);
  const b = testKube(t, 2);
  assert.notEqual(a.server, b.server);
  const ns = await testNamespace(t, a, 'only-a');
  assert.ok(await a.getOrUndefined(`/api/v1/namespaces/${ns}`));
  assert.equal(await b.getOrUndefined(`/api/v1/namespaces/${ns}`), undefined);
});
