// Helm and Kustomize sources end to end: a chart from the repository rendered with value files,
// valuesObject and parameters; a Kustomize overlay over a base with the Application's images override.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, deploymentYaml } from '../testing/app-fixture.js';

interface Dep { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } }

test('a Helm chart from Git renders with valueFiles, valuesObject and parameters', async (t) => {
  const f = await startAppFixture(t);
  await f.push({
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/values.yaml': 'replicas: 1\nimage: registry.example.com/web:1.0.0\ncolor: blue\n',
    'charts/web/values-prod.yaml': 'replicas: 3\n',
    'charts/web/templates/deployment.yaml': deploymentYaml('{{ .Release.Name }}', 0, '{{ .Values.image }}').replace('replicas: 0', 'replicas: {{ .Values.replicas }}'),
    'charts/web/templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  color: {{ .Values.color | quote }}\n',
  }, 'web chart');
  const app = f.appName('helm');
  await f.ctrl.createApp(app, f.spec('charts/web', {
    source: {
      repoURL: f.repoURL, targetRevision: 'main', path: 'charts/web',
      helm: { releaseName: 'shop', valueFiles: ['values-prod.yaml'], valuesObject: { color: 'green' }, parameters: [{ name: 'image', value: 'registry.example.com/web:2.0.0' }] },
    },
    syncPolicy: { automated: {} },
  }));
  const s = await f.waitFor(app, 'synced', (x) => x.sync.status === 'Synced' && x.health.status === 'Healthy', 60_000);
  assert.equal(s.sourceType, 'Helm');
  const dep = await f.kube.get<Dep>(`/apis/apps/v1/namespaces/${f.dest}/deployments/shop`);
  assert.equal(dep.spec.replicas, 3);
  assert.equal(dep.spec.template.spec.containers[0]?.image, 'registry.example.com/web:2.0.0');
  assert.equal((await f.kube.get<{ data: { color: string } }>(`/api/v1/namespaces/${f.dest}/configmaps/shop-config`)).data.color, 'green');
});

test('a Kustomize overlay over a base, with the Application overriding the image', async (t) => {
  const f = await startAppFixture(t);
  await f.push({
    'k/base/deployment.yaml': deploymentYaml('api', 1, 'registry.example.com/api:1.0.0'),
    'k/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'k/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: replicas.yaml\n',
    'k/overlays/prod/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n',
  }, 'kustomize layout');
  const app = f.appName('kustomize');
  await f.ctrl.createApp(app, f.spec('k/overlays/prod', {
    source: { repoURL: f.repoURL, targetRevision: 'main', path: 'k/overlays/prod', kustomize: { images: ['registry.example.com/api:1.4.2'], namePrefix: 'prod-' } },
    syncPolicy: { automated: {} },
  }));
  const s = await f.waitFor(app, 'synced', (x) => x.sync.status === 'Synced', 60_000);
  assert.equal(s.sourceType, 'Kustomize');
  assert.deepEqual(s.summary.images, ['registry.example.com/api:1.4.2']);
  const dep = await f.kube.get<Dep>(`/apis/apps/v1/namespaces/${f.dest}/deployments/prod-api`);
  assert.equal(dep.spec.replicas, 3);
});
