// An automated Application follows Git: the first commit is applied, a new commit reaches the
// cluster within seconds by polling (no webhook), status names the commit with its author and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingCopy } from '../dev/git/repos.js';
import { testKube, testNamespace } from '../testing/cluster.js';
import { startController, uniqueName } from '../testing/controller.js';
import { startGitFixture } from '../testing/git.js';
import { eventually } from '../testing/wait.js';
import type { ApplicationStatus } from './app-status.js';
import { defer } from '../testing/cleanup.js';

const deployment = (replicas: number, image = 'registry.example.com/web:1.0.0'): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${image}
`;

test('an automated Application applies Git, follows new commits, and reports commit, health and images', async (t) => {
  const kube = testKube(t);
  const ctrlNs = await testNamespace(t, kube, 'ctrl');
  const dest = await testNamespace(t, kube, 'dest');
  const git = await startGitFixture(t);
  await git.createRepo('org/config.git');
  const wc = await WorkingCopy.clone(git.http.url('org/config.git'));
  defer(t, () => { wc.remove(); });
  const first = await wc.write({ 'apps/web/deployment.yaml': deployment(2), 'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-settings\ndata:\n  color: blue\n' }).commit('web: first version');
  await wc.push();

  const ctrl = await startController(t, kube, ctrlNs);
  const name = uniqueName('web');
  await ctrl.createApp(name, {
    project: 'default',
    source: { repoURL: git.http.url('org/config.git'), targetRevision: 'main', path: 'apps/web' },
    destination: { server: 'https://kubernetes.default.svc', namespace: dest },
    syncPolicy: { automated: { prune: true, selfHeal: true } },
  });

  const synced = await eventually('Synced and Healthy at the first commit', async () => {
    const s = (await ctrl.getApp(name))['status'] as ApplicationStatus | undefined;
    return s?.sync.status === 'Synced' && s.health.status === 'Healthy' && s.sync.revision === first ? s : undefined;
  }, 90_000);
  assert.equal(synced.operationState?.phase, 'Succeeded');
  assert.deepEqual(synced.summary.images, ['registry.example.com/web:1.0.0']);
  const [entry, ...more] = synced.history ?? [];
  assert.ok(entry);
  assert.equal(more.length, 0);
  assert.equal(entry.revision, first);
  const meta = entry.revisionMetadata;
  assert.ok(meta);
  assert.equal(meta.message, 'web: first version');
  assert.match(meta.author ?? '', /Fjord Test <test@fjord\.invalid>/);
  assert.deepEqual(synced.resources.map((r) => `${r.kind}/${r.name}:${r.status}`).sort(), ['ConfigMap/web-settings:Synced', 'Deployment/web:Synced']);
  const live = await kube.get<{ spec: { replicas: number }; metadata: { annotations: Record<string, string> } }>(`/apis/apps/v1/namespaces/${dest}/deployments/web`);
  assert.equal(live.spec.replicas, 2);
  assert.equal(live.metadata.annotations['fjord.dev/tracking-id'], `${name}:apps/Deployment:${dest}/web`);
  // A sync that starts and ends in one reconcile is one Event (sent a moment after the reconcile).
  const appEvents = async (): Promise<{ reason: string; message: string }[]> => (await kube.get<{ items: { reason: string; message: string; involvedObject: { name: string } }[] }>(`/api/v1/namespaces/${ctrlNs}/events`)).items.filter((e) => e.involvedObject.name === name);
  const completed = await eventually('OperationCompleted event', async () => (await appEvents()).find((e) => e.reason === 'OperationCompleted'), 15_000);
  assert.equal(completed.message, `Automated sync operation to ${first} succeeded`);
  assert.deepEqual((await appEvents()).filter((e) => e.reason === 'OperationStarted'), [], 'no separate OperationStarted');

  const second = await wc.write({ 'apps/web/deployment.yaml': deployment(3, 'registry.example.com/web:1.1.0') }).commit('web: 1.1.0, three replicas');
  const pushedAt = Date.now();
  await wc.push();
  await eventually('the new commit applied', async () => {
    const d = await kube.get<{ spec: { replicas: number } }>(`/apis/apps/v1/namespaces/${dest}/deployments/web`);
    return d.spec.replicas === 3 ? true : undefined;
  }, 30_000);
  const latencyMs = Date.now() - pushedAt;
  t.diagnostic(`push-to-applied by polling: ${latencyMs} ms`);
  const after = await eventually('status at the second commit', async () => {
    const s = (await ctrl.getApp(name))['status'] as ApplicationStatus | undefined;
    return s?.sync.revision === second && s.sync.status === 'Synced' ? s : undefined;
  });
  assert.deepEqual(after.summary.images, ['registry.example.com/web:1.1.0']);
  assert.deepEqual(after.history?.map((h) => h.revision), [first, second]);
});
