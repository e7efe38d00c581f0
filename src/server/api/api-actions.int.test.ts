// What a person does through the API, end to end on the real cluster and Git server: sync and watch
// it live, see the resource tree down to Pods, see a diff after a new commit (Secret values masked),
// read the live manifest and events, see history with the commit's author and message, roll back,
// refresh, terminate nothing when nothing runs, and delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap, deploymentYaml } from '../../testing/app-fixture.js';
import { startTestServer } from '../../testing/server.js';
import { eventually } from '../../testing/wait.js';
import type { ApplicationStatus } from '../../controller/app-status.js';

const secretYaml = (value: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-secret\ntype: Opaque\nstringData:\n  password: ${value}\n`;

interface Node { kind: string; name: string; parentRefs: { kind: string; name: string }[]; health?: { status: string } }
interface Managed { kind: string; name: string; status: string; diff?: string; liveState: unknown; targetState: unknown }

/** Collects server-sent events of one stream until `until` sees what it waits for. */
async function readStream(res: Response, until: (app: { status?: ApplicationStatus }) => boolean): Promise<number> {
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no stream body');
  const decoder = new TextDecoder();
  let buffer = '';
  let events = 0;
  for (;;) {
    const chunk = (await reader.read()) as { value?: Uint8Array; done: boolean };
    if (chunk.done) throw new Error('stream ended');
    buffer += decoder.decode(chunk.value, { stream: true });
    const parts = buffer.split('\n\n');
    buffer = parts.pop() ?? '';
    for (const p of parts.filter((x) => x.startsWith('data: '))) {
      events++;
      if (until((JSON.parse(p.slice(6)) as { result: { application: { status?: ApplicationStatus } } }).result.application)) { await reader.cancel(); return events; }
    }
  }
}

test('sync, tree, diff, manifest, events, history, rollback and delete through the API', async (t) => {
  const f = await startAppFixture(t);
  const first = await f.push({ 'app/deploy.yaml': deploymentYaml('api-web', 2), 'app/secret.yaml': secretYaml('hunter2-first'), 'app/cm.yaml': configMap('api-cm', { v: '1' }) }, 'first version\n\nby the API test');
  const app = f.appName('api');
  await f.ctrl.createApp(app, f.spec('app'));
  const server = await startTestServer(t, f.ctrl);
  const admin = await server.token('alice', ['role:admin']);
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await server.call(admin, path, init);
    const body = await res.text();
    assert.ok(res.ok, `${path}: ${res.status} ${body}`);
    return JSON.parse(body) as T;
  };
  await f.waitFor(app, 'compared', (s) => s.sync.revision === first);

  // Sync, watched live through the stream.
  const stream = await server.call(admin, `/api/v1/stream/applications?name=${app}`);
  assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  await json(`/api/v1/applications/${app}/sync`, { method: 'POST', body: JSON.stringify({ prune: true }) });
  const seen = await readStream(stream, (a) => a.status?.operationState?.phase === 'Succeeded' && a.status.health.status === 'Healthy');
  assert.ok(seen >= 2, 'the stream delivered the state and the changes');
  assert.equal((await server.call(admin, `/api/v1/applications/${app}/operation`, { method: 'DELETE' })).status, 409, 'nothing to terminate');

  // The tree reaches Pods through the ReplicaSet.
  const tree = await eventually('pods in the tree', async () => {
    const nodes = (await json<{ nodes: Node[] }>(`/api/v1/applications/${app}/resource-tree`)).nodes;
    return nodes.filter((n) => n.kind === 'Pod').length === 2 ? nodes : undefined;
  });
  const rs = tree.find((n) => n.kind === 'ReplicaSet');
  assert.deepEqual(rs?.parentRefs.map((p) => `${p.kind}/${p.name}`), ['Deployment/api-web']);
  const podParents = tree.filter((n) => n.kind === 'Pod').map((p) => p.parentRefs.map((r) => r.name).join());
  assert.deepEqual(podParents, [rs.name, rs.name]);
  assert.ok(tree.some((n) => n.kind === 'Secret' && n.name === 'api-secret'));

  // A new commit: the diff shows the change, Secret values masked on both sides.
  const second = await f.push({ 'app/deploy.yaml': deploymentYaml('api-web', 3), 'app/secret.yaml': secretYaml('hunter2-second') }, 'scale to three');
  await f.waitFor(app, 'out of sync with the new commit', (s) => s.sync.revision === second && s.sync.status === 'OutOfSync');
  const managed = (await json<{ items: Managed[] }>(`/api/v1/applications/${app}/managed-resources`)).items;
  const deploy = managed.find((m) => m.kind === 'Deployment');
  assert.equal(deploy?.status, 'OutOfSync');
  assert.match(deploy.diff ?? '', /-\s+replicas: 2\n\+\s+replicas: 3/);
  assert.equal(managed.find((m) => m.kind === 'ConfigMap')?.diff, '', 'no diff where nothing changed');
  const everything = JSON.stringify(managed);
  assert.ok(!everything.includes('hunter2'), 'no Secret value in managed-resources');
  assert.ok(!Buffer.from(everything).toString('base64').includes(Buffer.from('hunter2').toString('base64').slice(0, 8)));
  assert.match(managed.find((m) => m.kind === 'Secret')?.diff ?? '', /\+\+\+\+\+\+\+\+/);
  const secret = await json<{ manifest: { data: Record<string, string> } }>(`/api/v1/applications/${app}/resource?group=&version=v1&kind=Secret&namespace=${f.dest}&name=api-secret`);
  assert.match(secret.manifest.data['password'] ?? '', /^\+{8}/);
  assert.equal((await server.call(admin, `/api/v1/applications/${app}/resource?version=v1&kind=Secret&namespace=kube-system&name=other`)).status, 404, 'only its own resources');

  // Events, history and commit metadata.
  // Events are sent after the reconcile that records them, a moment later.
  await eventually('OperationCompleted event', async () => ((await json<{ items: { reason: string }[] }>(`/api/v1/applications/${app}/events`)).items.some((e) => e.reason === 'OperationCompleted') ? true : undefined), 15_000);
  const got = await json<{ status: ApplicationStatus }>(`/api/v1/applications/${app}`);
  assert.equal(got.status.history?.[0]?.revisionMetadata?.message?.split('\n')[0], 'first version');
  const meta = await json<{ message: string; author: string }>(`/api/v1/applications/${app}/revisions/${second}/metadata`);
  assert.equal(meta.message.trim(), 'scale to three');

  // Sync the second commit, then roll back to history entry 0 (the first commit).
  await json(`/api/v1/applications/${app}/sync`, { method: 'POST', body: '{}' });
  await f.waitFor(app, 'second synced', (s) => s.history?.length === 2);
  await json(`/api/v1/applications/${app}/rollback`, { method: 'POST', body: JSON.stringify({ id: 0 }) });
  const rolled = await f.waitFor(app, 'rolled back', (s) => s.history?.length === 3);
  assert.equal(rolled.history?.[2]?.revision, first);
  const deployment = await f.live(`/apis/apps/v1/namespaces/${f.dest}/deployments/api-web`);
  assert.equal((deployment?.['spec'] as { replicas?: number } | undefined)?.replicas, 2);
  assert.equal((await server.call(admin, `/api/v1/applications/${app}/rollback`, { method: 'POST', body: JSON.stringify({ id: 42 }) })).status, 404);

  // Refresh, then delete with cascade: the app and its objects go.
  const refreshed = await json<{ metadata: { annotations?: Record<string, string> } }>(`/api/v1/applications/${app}?refresh=hard`);
  assert.equal(refreshed.metadata.annotations?.['fjord.dev/refresh'], 'hard');
  await json(`/api/v1/applications/${app}`, { method: 'DELETE' });
  await eventually('app and objects deleted', async () => (await f.kube.getOrUndefined(f.ctrl.appPath(app))) === undefined
    && (await f.live(`/api/v1/namespaces/${f.dest}/configmaps/api-cm`)) === undefined ? true : undefined);
  assert.equal((await server.call(admin, `/api/v1/applications/${app}`)).status, 404);
});
