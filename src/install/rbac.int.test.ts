// Least-privilege RBAC (docs/adr/0012-least-privilege-rbac.md), proven on the real cluster: Fjord is
// installed into a namespace of the test's own, and each role runs as a real `fjord run --roles <role>`
// process with a token of its own ServiceAccount (TokenRequest API). The controller syncs with prune
// and a PreSync Job hook; the server serves list/get/refresh/sync/events/repositories/delete through
// its API; the sealed-secrets role unseals a SealedSecret. Each identity is also refused what it must
// not do (403 on real requests, and SelfSubjectAccessReviews).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiFlavor } from '../api/flavor.js';
import type { ApplicationStatus } from '../controller/app-status.js';
import { WorkingCopy } from '../dev/git/repos.js';
import type { KubeClient } from '../kube/client.js';
import { createToken } from '../server/auth/tokens.js';
import { sealSecret } from '../secrets/sealed/sealed-secret.js';
import { defer } from '../testing/cleanup.js';
import { startFjord, type FjordProcess } from '../testing/cli.js';
import { testKube, testNamespace } from '../testing/cluster.js';
import { uniqueName } from '../testing/controller.js';
import { startGitRepo } from '../testing/git.js';
import { configMap, deploymentYaml } from '../testing/manifests.js';
import { actAs, can, installIsolated, statusOf, type RoleIdentity } from '../testing/service-account.js';
import { eventually } from '../testing/wait.js';

const VALUE = 'rbac-test-value-never-logged';
const FAKE_POD_IP = '192.0.2.10'; // TEST-NET-1: only written into the Endpoints object, never dialled

const hookJob = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: run
          image: registry.example.com/migrate:1
`;

/** `fjord run --roles <role>` as the role's ServiceAccount, serving `flavor`'s namespace. */
interface RunOpts { readonly extra: string[]; readonly ready: RegExp; readonly env?: NodeJS.ProcessEnv }

async function runRole(t: TestContext, id: RoleIdentity, flavor: ApiFlavor, { extra, ready, env = {} }: RunOpts): Promise<{ proc: FjordProcess; url: string }> {
  const cacheDir = mkdtempSync(join(tmpdir(), `fjord-${id.role}-cache-`));
  defer(t, () => { rmSync(cacheDir, { recursive: true, force: true }); });
  const proc = startFjord(t, ['run', '--kubeconfig', id.kubeconfig, '--roles', id.role, '--namespace', flavor.namespace, '--cache-dir', cacheDir, '--log-format', 'text', '--port', '0', ...extra], env);
  await proc.waitForLine(ready, 120_000);
  const url = /http=(http:\/\/127\.0\.0\.1:\d+)/.exec(await proc.waitForLine(/INFO\s+running /, 60_000))?.[1] ?? '';
  assert.doesNotMatch(proc.lines.join('\n'), /forbidden|\b403\b/i, `fjord run --roles ${id.role} met no permission error while starting`);
  return { proc, url };
}

const deployment = (ns: string): Record<string, unknown> => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: uniqueName('intruder'), namespace: ns },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
});

async function assertServerDenials(server: KubeClient, flavor: ApiFlavor, dest: string, secretName: string): Promise<void> {
  assert.equal(await statusOf(server.get(`/api/v1/namespaces/${dest}/secrets/${secretName}`)), 403, 'the server cannot read a Secret outside Fjord\'s namespace');
  assert.equal(await statusOf(server.get('/api/v1/secrets')), 403, 'the server cannot list Secrets cluster-wide');
  assert.equal(await statusOf(server.create(`/apis/apps/v1/namespaces/${dest}/deployments`, deployment(dest))), 403, 'the server cannot create a Deployment');
  assert.equal(await statusOf(server.create(`/apis/${flavor.group}/${flavor.version}/namespaces/${flavor.namespace}/applications`, { apiVersion: `${flavor.group}/${flavor.version}`, kind: 'Application', metadata: { name: 'x' }, spec: {} })), 403, 'the server cannot create Applications');
  assert.equal(await can(server, { verb: 'get', group: 'apps', resource: 'deployments', namespace: dest }), false, 'the server reads no managed kind');
  assert.equal(await can(server, { verb: 'update', group: flavor.group, resource: 'appprojects', namespace: flavor.namespace }), false);
  assert.equal(await can(server, { verb: 'list', resource: 'secrets', namespace: flavor.namespace }), true, 'Fjord\'s own Secrets (tokens, repositories) are readable');
}

interface Api { call(path: string, init?: RequestInit): Promise<Response> }

async function apiClient(t: TestContext, admin: KubeClient, flavor: ApiFlavor, url: string): Promise<Api> {
  const token = await createToken(admin, flavor.namespace, flavor.secretTypeLabel, 'rbac-admin', ['role:admin']);
  const call = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  await eventually('the server knows the token', async () => ((await call('/api/v1/session/userinfo')).status === 200 ? true : undefined), 20_000);
  return { call };
}

/** A config repository with a Deployment, a ConfigMap (pruned later) and a PreSync Job, and its repository Secret. */
async function configRepo(t: TestContext, admin: KubeClient, flavor: ApiFlavor): Promise<{ repo: WorkingCopy; repoURL: string }> {
  const { repoURL, repo } = await startGitRepo(t, 'org/rbac.git');
  await repo.write({ 'app/web.yaml': deploymentYaml('web', 1), 'app/old.yaml': configMap('old', { a: '1' }), 'app/migrate.yaml': hookJob }).commit('web, old, hook');
  await repo.push();
  await admin.create(`/api/v1/namespaces/${flavor.namespace}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'repo-rbac', labels: { [flavor.secretTypeLabel]: 'repository' } }, stringData: { url: repoURL } });
  return { repo, repoURL };
}

test('controller and server, each as its own ServiceAccount: sync with prune and a hook through the API; the server is refused Secrets elsewhere and writes', async (t) => {
  const admin = testKube(t);
  const flavor = await installIsolated(t, admin);
  const dest = await testNamespace(t, admin, 'rbac-dest');
  const { repo, repoURL } = await configRepo(t, admin, flavor);
  const elsewhere = uniqueName('other');
  await admin.create(`/api/v1/namespaces/${dest}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: elsewhere }, stringData: { value: VALUE } });

  const controller = await actAs(t, admin, flavor, 'controller');
  const serverId = await actAs(t, admin, flavor, 'server');
  await runRole(t, controller, flavor, { extra: ['--poll-interval', '1s'], ready: /INFO\s+controller started/ });
  const server = await runRole(t, serverId, flavor, { extra: [], ready: /INFO\s+running / });
  const api = await apiClient(t, admin, flavor, server.url);

  const name = uniqueName('rbac');
  const appPath = `/apis/${flavor.group}/${flavor.version}/namespaces/${flavor.namespace}/applications`;
  await admin.create(appPath, {
    apiVersion: `${flavor.group}/${flavor.version}`, kind: 'Application', metadata: { name },
    spec: { project: 'default', source: { repoURL, targetRevision: 'main', path: 'app' }, destination: { server: 'https://kubernetes.default.svc', namespace: dest } },
  });
  const status = async (): Promise<ApplicationStatus | undefined> => ((await (await api.call(`/api/v1/applications/${name}`)).json()) as { status?: ApplicationStatus }).status;
  await eventually('the API lists the Application', async () => ((await (await api.call('/api/v1/applications')).text()).includes(name) ? true : undefined), 30_000);
  await eventually('OutOfSync before the first sync', async () => ((await status())?.sync.status === 'OutOfSync' ? true : undefined), 60_000);

  const sync = async (): Promise<void> => { const r = await api.call(`/api/v1/applications/${name}/sync`, { method: 'POST', body: JSON.stringify({ prune: true }) }); assert.equal(r.status, 200, await r.text()); };
  await sync();
  const first = await eventually('first sync succeeded', async () => { const s = await status(); return s?.operationState?.phase === 'Succeeded' ? s : undefined; }, 90_000);
  assert.equal(first.operationState?.syncResult?.resources.find((r) => r.name === 'migrate')?.hookPhase, 'Succeeded', 'the PreSync Job ran as a hook');
  assert.ok(await admin.getOrUndefined(`/apis/apps/v1/namespaces/${dest}/deployments/web`), 'the controller created the Deployment');
  assert.ok(await admin.getOrUndefined(`/api/v1/namespaces/${dest}/configmaps/old`));

  rmSync(join(repo.dir, 'app/old.yaml'));
  await repo.commit('remove old');
  await repo.push();
  assert.equal((await api.call(`/api/v1/applications/${name}?refresh=normal`)).status, 200, 'refresh (a patch of the Application) is allowed');
  await eventually('OutOfSync after the commit', async () => ((await status())?.sync.status === 'OutOfSync' ? true : undefined), 60_000);
  await sync();
  await eventually('the ConfigMap removed from Git is pruned', async () => ((await admin.getOrUndefined(`/api/v1/namespaces/${dest}/configmaps/old`)) ? undefined : true), 90_000);

  assert.equal((await api.call(`/api/v1/applications/${name}/events`)).status, 200, 'events are readable');
  const repos = await (await api.call('/api/v1/repositories')).text();
  assert.match(repos, /repo-rbac/, 'repository Secrets in Fjord\'s namespace are readable');
  const tree = await api.call(`/api/v1/applications/${name}/resource-tree`);
  assert.equal(tree.status, 503, 'a server without the controller in its process computes no tree (and so reads no managed kind)');
  assert.match(await tree.text(), /without the controller role/);
  await assertServerDenials(serverId.kube, flavor, dest, elsewhere);

  assert.equal((await api.call(`/api/v1/applications/${name}`, { method: 'DELETE' })).status, 200, 'delete (finalizer patch and delete) is allowed');
  await eventually('the Application and its Deployment are gone', async () => ((await admin.getOrUndefined(`/apis/apps/v1/namespaces/${dest}/deployments/web`)) || (await admin.getOrUndefined(`${appPath}/${name}`)) ? undefined : true), 90_000);
  assert.doesNotMatch(server.proc.lines.join('\n'), new RegExp(VALUE));
});

test('sealed-secrets as its own ServiceAccount unseals a SealedSecret, and is refused Deployments and Applications', async (t) => {
  const admin = testKube(t);
  const flavor = await installIsolated(t, admin, 'rbac-ss');
  const dest = await testNamespace(t, admin, 'rbac-ss-dest');
  const id = await actAs(t, admin, flavor, 'sealed-secrets');
  const { proc, url } = await runRole(t, id, flavor, { extra: ['--sealed-secrets-namespace', dest, '--key-renew-period', '0'], ready: /INFO\s+running /, env: { POD_IP: FAKE_POD_IP } });
  const cert = await (await fetch(`${url}/v1/cert.pem`)).text();
  assert.match(cert, /BEGIN CERTIFICATE/);
  assert.ok(await admin.getOrUndefined(`/api/v1/namespaces/${flavor.namespace}/configmaps/sealed-secrets-cert`), 'the certificate ConfigMap was published in Fjord\'s namespace');
  const eps = await admin.get<{ subsets: { addresses: { ip: string }[] }[] }>(`/api/v1/namespaces/${flavor.namespace}/endpoints/sealed-secrets-controller`);
  assert.equal(eps.subsets[0]?.addresses[0]?.ip, FAKE_POD_IP, 'the Service and Endpoints kubeseal uses were published');

  const sealed = sealSecret(cert, { metadata: { name: 'db', namespace: dest }, type: 'Opaque', data: { password: Buffer.from(VALUE).toString('base64') } });
  await admin.create(`/apis/bitnami.com/v1alpha1/namespaces/${dest}/sealedsecrets`, { ...sealed });
  const secret = await eventually('the Secret is unsealed', async () => admin.getOrUndefined<{ data?: Record<string, string> }>(`/api/v1/namespaces/${dest}/secrets/db`), 60_000);
  assert.equal(Buffer.from(secret.data?.['password'] ?? '', 'base64').toString(), VALUE);
  await eventually('Synced=True written to status', async () => {
    const ss = await admin.get<{ status?: { conditions?: { type: string; status: string }[] } }>(`/apis/bitnami.com/v1alpha1/namespaces/${dest}/sealedsecrets/db`);
    return ss.status?.conditions?.some((c) => c.type === 'Synced' && c.status === 'True') ? true : undefined;
  }, 30_000);
  await eventually('an Unsealed event was recorded', async () => {
    const list = await admin.get<{ items: { reason: string }[] }>(`/api/v1/namespaces/${dest}/events`, { query: { fieldSelector: 'involvedObject.name=db,involvedObject.kind=SealedSecret' } });
    return list.items.some((e) => e.reason === 'Unsealed') ? true : undefined;
  }, 30_000);

  const ss = id.kube;
  assert.equal(await statusOf(ss.create(`/apis/apps/v1/namespaces/${dest}/deployments`, deployment(dest))), 403, 'sealed-secrets cannot create a Deployment');
  assert.equal(await statusOf(ss.get(`/apis/${flavor.group}/${flavor.version}/namespaces/${flavor.namespace}/applications`)), 403, 'sealed-secrets cannot read Applications');
  assert.equal(await statusOf(ss.get(`/api/v1/namespaces/${dest}/configmaps`)), 403, 'sealed-secrets cannot read ConfigMaps outside its own');
  assert.equal(await can(ss, { verb: 'delete', resource: 'secrets', namespace: dest }), false, 'sealed-secrets deletes no Secret (garbage collection does)');
  assert.equal(await can(ss, { verb: 'create', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }), false, 'the SealedSecret CRD comes from fjord install, not from this role');
  assert.equal(await can(ss, { verb: 'update', resource: 'configmaps', namespace: flavor.namespace, name: flavor.configMapName }), false);
  assert.doesNotMatch(proc.lines.join('\n'), new RegExp(VALUE));
});
