// AppProjects fence Applications in before anything is applied: a repository, a destination or a
// kind the project does not allow gives a condition naming the rule, and nothing reaches the cluster.
// An unknown kind (a CRD that is not installed) is named with its file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../testing/app-fixture.js';

test('the project\'s repositories, destinations and kinds are enforced, with the rule named', async (t) => {
  const f = await startAppFixture(t);
  await f.push({
    'team/cm.yaml': configMap('team-settings', { v: '1' }),
    'team/role.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: team-a-escalate\nrules: []\n',
  }, 'team a');
  await f.kube.create(`/apis/fjord.dev/v1alpha1/namespaces/${f.ctrl.namespace}/appprojects`, {
    apiVersion: 'fjord.dev/v1alpha1', kind: 'AppProject', metadata: { name: 'team-a' },
    spec: { sourceRepos: [f.repoURL], destinations: [{ server: 'https://kubernetes.default.svc', namespace: f.dest }] },
  });
  const app = f.appName('fenced');
  await f.ctrl.createApp(app, f.spec('team', { project: 'team-a', syncPolicy: { automated: {} } }));
  const s = await f.waitFor(app, 'kind denied', (x) => x.conditions.some((c) => /ClusterRole/.test(c.message)));
  assert.match(s.conditions.map((c) => c.message).join('\n'), /team\/role\.yaml\): cluster-scoped rbac\.authorization\.k8s\.io\/ClusterRole team-a-escalate is not permitted in project team-a \(clusterResourceWhitelist\)/);
  assert.equal(await f.live('/apis/rbac.authorization.k8s.io/v1/clusterroles/team-a-escalate'), undefined);
  assert.equal(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/team-settings`), undefined, 'no partial sync while a resource is denied');

  const elsewhere = f.appName('elsewhere');
  await f.ctrl.createApp(elsewhere, { ...f.spec('team', { project: 'team-a' }), destination: { server: 'https://kubernetes.default.svc', namespace: 'kube-system' } });
  const d = await f.waitFor(elsewhere, 'destination denied', (x) => x.conditions.length > 0);
  assert.match(d.conditions[0]?.message ?? '', /destination https:\/\/kubernetes\.default\.svc namespace kube-system is not permitted in project team-a/);

  const otherRepo = f.appName('repo');
  await f.ctrl.createApp(otherRepo, { ...f.spec('team', { project: 'team-a' }), source: { repoURL: 'https://git.example.com/other.git', path: '.' } });
  const r = await f.waitFor(otherRepo, 'repository denied', (x) => x.conditions.length > 0);
  assert.match(r.conditions[0]?.message ?? '', /repository https:\/\/git\.example\.com\/other\.git is not permitted in project team-a/);
});

test('a kind whose CRD is not installed is named with its file; the rest is not applied', async (t) => {
  const f = await startAppFixture(t);
  await f.push({ 'crd/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec: {}\n', 'crd/cm.yaml': configMap('w-config', { v: '1' }) }, 'widget');
  const app = f.appName('unknown');
  await f.ctrl.createApp(app, f.spec('crd', { syncPolicy: { automated: {} } }));
  const s = await f.waitFor(app, 'condition', (x) => x.conditions.length > 0);
  assert.match(s.conditions[0]?.message ?? '', /Widget w \(crd\/widget\.yaml\): no resource for kind Widget in apiVersion example\.com\/v1: is its CRD installed\?/);
  assert.equal(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/w-config`), undefined);
});
