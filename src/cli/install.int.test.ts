// `fjord install`: --dry-run prints every manifest (CRDs with printer columns and the status
// subresource, the namespace, RBAC, the default AppProject) without touching a cluster, in Fjord's API
// group or, with --compat argocd, Argo CD's; without it, the same objects are applied, the CRDs are
// Established, and a second run changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { ARGOCD, FJORD, type ApiFlavor } from '../api/flavor.js';
import type { KubeObject } from '../kube/client.js';
import { clusterScopedName } from '../install/manifests.js';
import { runFjord } from '../testing/cli.js';
import { testKube, testKubeconfig } from '../testing/cluster.js';

interface CrdVersion { subresources?: { status?: object }; additionalPrinterColumns?: { name: string; jsonPath: string }[] }
interface Crd extends KubeObject { spec: { group: string; versions: CrdVersion[] }; status?: { conditions?: { type: string; status: string }[] } }

const EXPECTED_KINDS = [
  'AppProject', 'ClusterRole', 'ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'ClusterRoleBinding', 'ConfigMap',
  'CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition', 'Namespace', 'Role', 'Role', 'RoleBinding', 'RoleBinding',
  'ServiceAccount', 'ServiceAccount', 'ServiceAccount',
];

async function dryRun(extra: string[]): Promise<KubeObject[]> {
  // A kubeconfig that does not exist: --dry-run must not need a cluster.
  const r = await runFjord(['install', '--dry-run', '--kubeconfig', '/nonexistent/kubeconfig', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout);
  for (const d of docs) assert.deepEqual(d.errors, [], 'every document is valid YAML');
  return docs.map((d) => d.toJSON() as KubeObject);
}

function checkManifests(objects: KubeObject[], flavor: ApiFlavor): void {
  assert.deepEqual(objects.map((o) => o.kind).sort(), EXPECTED_KINDS);
  const allCrds = objects.filter((o): o is Crd => o.kind === 'CustomResourceDefinition');
  assert.ok(allCrds.some((c) => c.metadata?.name === 'sealedsecrets.bitnami.com'), 'the SealedSecret CRD is printed too');
  const crds = allCrds.filter((c) => c.metadata?.name !== 'sealedsecrets.bitnami.com');
  assert.deepEqual(crds.map((c) => c.metadata?.name).sort(), [`applications.${flavor.group}`, `appprojects.${flavor.group}`]);
  for (const c of crds) assert.equal(c.spec.group, flavor.group);
  const app = crds.find((c) => c.metadata?.name === `applications.${flavor.group}`)?.spec.versions[0];
  assert.ok(app?.subresources?.status, 'the Application CRD has the status subresource');
  assert.deepEqual(app.additionalPrinterColumns?.map((c) => `${c.name}=${c.jsonPath}`).slice(0, 2), ['Sync Status=.status.sync.status', 'Health Status=.status.health.status']);
  assert.deepEqual(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name), [flavor.namespace]);
  const namespaced = objects.filter((o) => ['ServiceAccount', 'ConfigMap', 'AppProject', 'Role', 'RoleBinding'].includes(o.kind ?? ''));
  for (const o of namespaced) assert.equal(o.metadata?.namespace, flavor.namespace, `${o.kind ?? ''}/${o.metadata?.name ?? ''} is in ${flavor.namespace}`);
  assert.equal(objects.find((o) => o.kind === 'ConfigMap')?.metadata?.name, flavor.configMapName);
  const project = objects.find((o) => o.kind === 'AppProject');
  assert.equal(project?.apiVersion, `${flavor.group}/v1alpha1`);
  assert.equal(project.metadata?.name, 'default');
  const bindings = objects.filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') as (KubeObject & { subjects: { namespace: string }[] })[];
  for (const b of bindings) assert.deepEqual(b.subjects.map((s) => s.namespace), [flavor.namespace]);
}

test('fjord install --dry-run prints the CRDs, namespace, RBAC and default AppProject as YAML', async () => {
  checkManifests(await dryRun([]), FJORD);
});

test('fjord install --dry-run --compat argocd prints them in the argoproj.io group and namespace argocd', async () => {
  const objects = await dryRun(['--compat', 'argocd']);
  checkManifests(objects, ARGOCD);
  // Cluster-wide RBAC of the argocd flavor never shares a name with Fjord's own.
  const fjordNames = (await dryRun([])).filter((o) => o.kind?.startsWith('ClusterRole')).map((o) => o.metadata?.name);
  for (const o of objects.filter((x) => x.kind?.startsWith('ClusterRole'))) assert.ok(!fjordNames.includes(o.metadata?.name), `${o.kind ?? ''}/${o.metadata?.name ?? ''}`);
});

async function established(kube: ReturnType<typeof testKube>, name: string): Promise<Crd> {
  const crd = await kube.get<Crd>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
  assert.ok(crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'), `${name} is Established`);
  return crd;
}

/** The resourceVersion of every object `fjord install` owns, to show that a second run changed nothing. */
async function versions(kube: ReturnType<typeof testKube>, flavor: ApiFlavor): Promise<Record<string, string>> {
  const ns = flavor.namespace;
  const paths = [
    `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/applications.${flavor.group}`,
    `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/appprojects.${flavor.group}`,
    `/api/v1/namespaces/${ns}`,
    `/api/v1/namespaces/${ns}/configmaps/${flavor.configMapName}`,
    ...['controller', 'server', 'sealed-secrets'].map((role) => `/api/v1/namespaces/${ns}/serviceaccounts/fjord-${role}`),
    ...['server', 'sealed-secrets'].flatMap((role) => ['roles', 'rolebindings'].map((k) => `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/${k}/fjord-${role}`)),
    ...['controller', 'server', 'sealed-secrets'].flatMap((role) => [
      `/apis/rbac.authorization.k8s.io/v1/clusterroles/${clusterScopedName(flavor, role)}`,
      `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${clusterScopedName(flavor, role)}`,
    ]),
    `/apis/${flavor.group}/v1alpha1/namespaces/${ns}/appprojects/default`,
  ];
  const out: Record<string, string> = {};
  for (const p of paths) out[p] = (await kube.get(p)).metadata?.resourceVersion ?? '';
  return out;
}

for (const [flavor, extra] of [[FJORD, []], [ARGOCD, ['--compat', 'argocd']]] as const) {
  test(`${['fjord install', ...extra].join(' ')} applies CRDs, namespace, RBAC and the default AppProject, and is idempotent`, async (t) => {
    const kube = testKube(t);
    const args = ['install', '--kubeconfig', testKubeconfig(), ...extra];
    const first = await runFjord(args);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`fjord installed in namespace ${flavor.namespace} \\(${flavor.group.replace('.', '\\.')}\\)`));
    for (const plural of ['applications', 'appprojects']) {
      const crd = await established(kube, `${plural}.${flavor.group}`);
      assert.equal(crd.spec.group, flavor.group);
    }
    const app = await kube.get<Crd>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/applications.${flavor.group}`);
    assert.ok(app.spec.versions[0]?.subresources?.status, 'the installed Application CRD has the status subresource');
    const project = await kube.get<{ spec: { sourceRepos: string[] } }>(`/apis/${flavor.group}/v1alpha1/namespaces/${flavor.namespace}/appprojects/default`);
    assert.deepEqual(project.spec.sourceRepos, ['*']);
    const binding = await kube.get<{ subjects: { name: string; namespace: string }[] }>(`/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${clusterScopedName(flavor, 'controller')}`);
    assert.deepEqual(binding.subjects.map((s) => `${s.namespace}/${s.name}`), [`${flavor.namespace}/fjord-controller`]);

    const before = await versions(kube, flavor);
    const second = await runFjord(args);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /fjord installed/);
    assert.doesNotMatch(second.stdout, /AppProject\/default applied/, 'the existing default AppProject is left as it is');
    assert.deepEqual(await versions(kube, flavor), before, 'a second install changes nothing');
  });
}
