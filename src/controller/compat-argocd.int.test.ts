// `--compat argocd`: the seed article's Argo CD Application (seed 000, "payment-service-oslo": a
// Kustomize overlay with a replicas patch, automated prune + selfHeal, CreateNamespace=true) works as
// written, together with an Argo CD repository Secret for its scp-style SSH URL and Argo CD's resource
// annotations (sync waves). A second test runs the real `fjord run --compat argocd` and shows that it
// takes its settings from `argocd-cm`.
//
// Deviations from "verbatim", forced by tests sharing one cluster in parallel: the Application lives
// in a fresh namespace of this test instead of `argocd` (the controller is told to serve that namespace,
// as `fjord run --namespace` does), its destination namespace `payments` gets a unique suffix (in the
// Application and in the overlay's kustomization), and repoURL points at the local Git server.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { randomBytes } from 'node:crypto';
import { ARGOCD } from '../api/flavor.js';
import { WorkingCopy } from '../dev/git/repos.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { createInformer } from '../kube/watch.js';
import { defer } from '../testing/cleanup.js';
import { startFjord } from '../testing/cli.js';
import { testKube, testKubeconfig, testNamespace } from '../testing/cluster.js';
import { startController } from '../testing/controller.js';
import { startGitFixture } from '../testing/git.js';
import { eventually } from '../testing/wait.js';
import type { ApplicationStatus } from './app-status.js';

/** Seed 000's Application, as printed in the article. */
const SEED_APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: payment-service-oslo
  namespace: argocd
spec:
  project: default
  source:
    repoURL: 'git@github.com:my-org/infra-repo.git'
    targetRevision: HEAD
    path: apps/overlays/production-oslo
  destination:
    server: 'https://kubernetes.default.svc'
    namespace: payments
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
    - CreateNamespace=true
`;

/** The seed's layout (as in examples/config-repo), plus a ConfigMap in wave -1 and the Service in wave 1. */
function configRepo(destination: string): Record<string, string> {
  const example = (p: string): string => readFileSync(new URL(`../../examples/config-repo/${p}`, import.meta.url), 'utf8');
  return {
    'apps/base/payment-service/deployment.yaml': example('apps/base/payment-service/deployment.yaml'),
    'apps/base/payment-service/service.yaml': example('apps/base/payment-service/service.yaml')
      .replace('  name: payment-service\n', '  name: payment-service\n  annotations:\n    argocd.argoproj.io/sync-wave: "1"\n'),
    'apps/base/payment-service/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: payment-settings\n  annotations:\n    argocd.argoproj.io/sync-wave: "-1"\ndata:\n  currency: NOK\n',
    'apps/base/payment-service/kustomization.yaml': example('apps/base/payment-service/kustomization.yaml') + '  - configmap.yaml\n',
    'apps/overlays/production-oslo/kustomization.yaml': example('apps/overlays/production-oslo/kustomization.yaml').replace('namespace: payments\n', `namespace: ${destination}\n`),
    'apps/overlays/production-oslo/patch-replicas.yaml': example('apps/overlays/production-oslo/patch-replicas.yaml'),
  };
}

/** The resourceVersion at which each object of the destination namespace was created, from watches started before the sync. */
function creationOrder(t: TestContext, kube: KubeClient, namespace: string): Map<string, number> {
  const created = new Map<string, number>();
  const paths = [`/api/v1/namespaces/${namespace}/configmaps`, `/api/v1/namespaces/${namespace}/services`, `/apis/apps/v1/namespaces/${namespace}/deployments`];
  for (const path of paths) {
    const informer = createInformer(kube, {
      path,
      // resourceVersions are etcd revisions on this API server: comparing them orders the creations.
      onEvent: (type, obj) => { if (type === 'ADDED') created.set(`${obj.kind ?? ''}/${obj.metadata?.name ?? ''}`, Number(obj.metadata?.resourceVersion)); },
    });
    informer.start();
    // Stopped before the client closes (closing a client waits for its open watches).
    defer(t, () => informer.stop());
  }
  return created;
}

test('the seed\'s Argo CD Application syncs verbatim under --compat argocd: CRDs, CreateNamespace, overlay, tracking, waves', async (t) => {
  const kube = testKube(t);
  const appNs = await testNamespace(t, kube, 'argocd');
  const dest = `payments-${randomBytes(4).toString('hex')}`;
  defer(t, () => kube.delete(`/api/v1/namespaces/${dest}`));
  const git = await startGitFixture(t);
  await git.createRepo('my-org/infra-repo.git');
  const repoURL = git.ssh.url('my-org/infra-repo.git');
  assert.match(repoURL, /^git@[\d.]+:my-org\/infra-repo\.git$/, 'an scp-style URL, as in the seed');
  const repo = await WorkingCopy.clone(repoURL, git.clientEnv);
  t.after(() => { repo.remove(); });
  const commit = await repo.write(configRepo(dest)).commit('payment-service: production-oslo');
  await repo.push();

  const ctrl = await startController(t, kube, appNs, {}, ARGOCD);
  for (const plural of ['applications', 'appprojects']) {
    const crd = await kube.get<KubeObject & { spec: { group: string }; status: { conditions: { type: string; status: string }[] } }>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${plural}.argoproj.io`);
    assert.equal((crd.metadata?.['labels'] as Record<string, string>)['app.kubernetes.io/part-of'], 'fjord', `${plural}.argoproj.io was installed by Fjord`);
    assert.ok(crd.status.conditions.some((c) => c.type === 'Established' && c.status === 'True'));
  }
  // An Argo CD repository Secret, as `argocd repo add git@… --ssh-private-key-path … --insecure-ignore-host-key` writes it.
  await kube.create(`/api/v1/namespaces/${appNs}/secrets`, {
    apiVersion: 'v1', kind: 'Secret',
    metadata: { name: 'repo-infra', labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
    stringData: { type: 'git', url: repoURL, sshPrivateKey: readFileSync(git.sshKey.privateKeyPath, 'utf8'), insecure: 'true' },
  });
  const created = creationOrder(t, kube, dest);

  const manifest = parse(SEED_APPLICATION
    .replace('git@github.com:my-org/infra-repo.git', repoURL)
    .replace('namespace: argocd', `namespace: ${appNs}`)
    .replace('namespace: payments', `namespace: ${dest}`)) as KubeObject;
  await kube.create(`/apis/argoproj.io/v1alpha1/namespaces/${appNs}/applications`, manifest);
  const name = 'payment-service-oslo';
  const status = await eventually('Synced and Healthy', async () => {
    const s = (await ctrl.getApp(name))['status'] as ApplicationStatus | undefined;
    return s?.sync.status === 'Synced' && s.health.status === 'Healthy' && s.operationState?.phase === 'Succeeded' ? s : undefined;
  }, 90_000);
  assert.equal(status.sync.revision, commit, 'targetRevision HEAD is the default branch\'s commit');
  assert.deepEqual(status.resources.map((r) => `${r.kind}/${r.name}:${String(r.syncWave)}`).sort(), ['ConfigMap/payment-settings:-1', 'Deployment/payment-service:0', 'Service/payment-service:1']);

  assert.ok(await kube.getOrUndefined(`/api/v1/namespaces/${dest}`), 'CreateNamespace=true created the destination namespace');
  const deployment = await kube.get<KubeObject & { spec: { replicas: number } }>(`/apis/apps/v1/namespaces/${dest}/deployments/payment-service`);
  assert.equal(deployment.spec.replicas, 3, 'the overlay\'s replicas patch is applied');
  for (const [path, key] of [
    [`/apis/apps/v1/namespaces/${dest}/deployments/payment-service`, `apps/Deployment:${dest}/payment-service`],
    [`/api/v1/namespaces/${dest}/services/payment-service`, `/Service:${dest}/payment-service`],
    [`/api/v1/namespaces/${dest}/configmaps/payment-settings`, `/ConfigMap:${dest}/payment-settings`],
  ] as const) {
    const annotations = ((await kube.get(path)).metadata?.['annotations'] ?? {}) as Record<string, string>;
    assert.equal(annotations['argocd.argoproj.io/tracking-id'], `${name}:${key}`);
    assert.equal(annotations['fjord.dev/tracking-id'], undefined, 'only Argo CD\'s tracking annotation in compat mode');
  }

  const rv = (k: string): number => created.get(k) ?? Number.NaN;
  assert.ok(rv('ConfigMap/payment-settings') < rv('Deployment/payment-service'), `wave -1 before wave 0: ${JSON.stringify([...created])}`);
  assert.ok(rv('Deployment/payment-service') < rv('Service/payment-service'), `wave 0 before wave 1 (kind order alone would put the Service first): ${JSON.stringify([...created])}`);
});

test('fjord run --compat argocd takes its settings from argocd-cm and serves argoproj.io Applications', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'argocd');
  await kube.create(`/api/v1/namespaces/${ns}/configmaps`, {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' },
    data: { 'timeout.reconciliation': '1h', 'operation.processors': 'ten' },
  });
  const fjord = startFjord(t, ['run', '--compat', 'argocd', '--kubeconfig', testKubeconfig(), '--namespace', ns, '--log-format', 'text', '--port', '0']);
  await fjord.waitForLine(/INFO\s+controller started .*group=argoproj\.io/, 90_000);
  assert.match(await fjord.waitForLine(/WARN/), new RegExp(`ConfigMap ${ns}/argocd-cm: operation\\.processors: "ten" is not a positive integer`));
  assert.match(await fjord.waitForLine(/INFO\s+settings /), new RegExp(`configMap=${ns}/argocd-cm reconciliationMs=3600000 `));

  // An Application whose project does not exist is not retried early: the next look is a full
  // timeout.reconciliation (1h ± 10%) away.
  const name = 'orphan';
  await kube.create(`/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications`, {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name },
    spec: { project: 'nope', source: { repoURL: 'https://git.invalid/x.git', path: '.' }, destination: { server: 'https://kubernetes.default.svc', namespace: ns } },
  });
  const line = await fjord.waitForLine(new RegExp(`INFO\\s+reconciled app=${ns}/${name} `), 30_000);
  const next = Number(/nextInMs=(\d+)/.exec(line)?.[1]);
  assert.ok(next >= 3_240_000 && next <= 3_960_000, line);
  const s = (await kube.get(`/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications/${name}`))['status'] as ApplicationStatus;
  assert.match(s.conditions[0]?.message ?? '', /project nope which does not exist/);
  const { code } = await fjord.stop('SIGTERM');
  assert.equal(code, 0);
});
