// Every route of the API server for every kind of caller (authz-matrix-cases.ts has the table): no
// token or a bad one is 401 (settings excepted), read-only reads and changes nothing, a project
// member acts in its own project only and never learns that another project's Applications exist,
// admin does everything. A route added without a row fails here. No answer, stream, metrics page or
// webhook reply ever carries the value of the Secret an Application manages.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startAppFixture, configMap, type AppFixture } from '../../testing/app-fixture.js';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { hmacHex } from '../webhook/signature.js';
import type { ApplicationStatus } from '../../controller/app-status.js';
import { authzRows, type Caller, type Case, type Row, type World } from './authz-matrix-cases.js';

const GROUP = '/apis/fjord.dev/v1alpha1/namespaces';
const TERMINATE = 'fjord.dev/terminate-operation';
const WEBHOOK_SECRET = `hook-${randomBytes(8).toString('hex')}`;

const secretYaml = (name: string, value: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: Opaque\nstringData:\n  password: ${value}\n`;
const claimYaml = (name: string): string => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${name}\n  annotations:\n    argocd.argoproj.io/sync-wave: "0"\nspec:\n  storageClassName: does-not-exist\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n`;

interface Setup { readonly f: AppFixture; readonly server: TestServer; readonly world: World; readonly tokens: Readonly<Record<Caller, string[]>>; readonly secrets: string[] }

/** Two projects, seven Applications, a repository credential and a webhook secret, all unique to this run. */
async function createWorld(f: AppFixture, secretValue: string, repoPassword: string): Promise<Omit<World, 'subjects'>> {
  const id = randomBytes(3).toString('hex');
  const [project, otherProject] = [`authz-${id}`, `authz-other-${id}`];
  const apps = { main: 'main', foreign: 'foreign', memberSync: 'msync', adminSync: 'async', memberStuck: 'mstuck', adminStuck: 'astuck', throwaway: 'throw' };
  const named = Object.fromEntries(Object.entries(apps).map(([k, v]) => [k, f.appName(`authz-${v}`)])) as typeof apps;
  const secretName = `authz-secret-${id}`;
  const revision = await f.push({
    'main/secret.yaml': secretYaml(secretName, secretValue), 'main/cm.yaml': configMap(`authz-main-${id}`, { v: '1' }),
    'foreign/cm.yaml': configMap(`authz-foreign-${id}`, { v: '1' }), 'msync/cm.yaml': configMap(`authz-msync-${id}`, { v: '1' }),
    'async/cm.yaml': configMap(`authz-async-${id}`, { v: '1' }), 'throw/cm.yaml': configMap(`authz-throw-${id}`, { v: '1' }),
    'mstuck/claim.yaml': claimYaml(`authz-claim-m-${id}`), 'mstuck/later.yaml': configMap(`authz-later-m-${id}`, { v: '1' }, { 'argocd.argoproj.io/sync-wave': '1' }),
    'astuck/claim.yaml': claimYaml(`authz-claim-a-${id}`), 'astuck/later.yaml': configMap(`authz-later-a-${id}`, { v: '1' }, { 'argocd.argoproj.io/sync-wave': '1' }),
  }, 'authz matrix fixtures');
  const ns = f.ctrl.namespace;
  const policies = ['get', 'sync'].map((a) => `p, proj:${project}:deployer, applications, ${a}, ${project}/*, allow`);
  for (const [name, roles] of [[project, [{ name: 'deployer', policies }]], [otherProject, []]] as const) {
    await f.kube.create(`${GROUP}/${ns}/appprojects`, { apiVersion: 'fjord.dev/v1alpha1', kind: 'AppProject', metadata: { name, namespace: ns }, spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], roles } });
  }
  const inOther = new Set([named.foreign, named.adminSync, named.adminStuck]);
  await Promise.all(Object.entries(apps).map(([k, dir]) => {
    const name = named[k as keyof typeof apps];
    return f.ctrl.createApp(name, f.spec(dir, { project: inOther.has(name) ? otherProject : project }));
  }));
  const secret = (name: string, type: string, data: Record<string, string>): Promise<unknown> => f.kube.create(`/api/v1/namespaces/${ns}/secrets`, {
    apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns, labels: { 'fjord.dev/secret-type': type } }, stringData: data,
  });
  await secret(`authz-repo-${id}`, 'repository', { url: `http://127.0.0.1:9/authz-repo-${id}.git`, username: 'bot', password: repoPassword });
  await f.kube.create(`/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fjord-webhook', namespace: ns }, stringData: { 'github.secret': WEBHOOK_SECRET } });
  return { namespace: ns, dest: f.dest, project, otherProject, apps: named, revision, secretName };
}

/** Asks the controller for a sync the way the API does (an `operation`), without going through the API. */
async function startSync(f: AppFixture, app: string): Promise<void> {
  await f.kube.request('PATCH', f.ctrl.appPath(app), { body: { operation: { sync: { prune: false }, initiatedBy: { username: 'test-setup' } } }, contentType: 'application/merge-patch+json' });
}

async function setUp(t: TestContext): Promise<Setup> {
  const f = await startAppFixture(t);
  const [secretValue, repoPassword] = [randomBytes(18).toString('hex'), randomBytes(18).toString('hex')];
  const w = await createWorld(f, secretValue, repoPassword);
  const server = await startTestServer(t, f.ctrl);
  const subjects = { readonly: { subject: 'auditor', roles: ['role:readonly'] }, member: { subject: 'ci-bot', roles: [`proj:${w.project}:deployer`] }, admin: { subject: 'alice', roles: ['role:admin'] } };
  const [readonly, member, admin] = await Promise.all([subjects.readonly, subjects.member, subjects.admin].map((s) => server.token(s.subject, [...s.roles])));
  const unknown = `fjord_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('hex')}`;
  const forged = `${(admin ?? '').slice(0, -4)}AAAA`;
  const tokens = { anonymous: [''], badToken: ['not-a-token', unknown, forged], readonly: [readonly ?? ''], member: [member ?? ''], memberForeign: [member ?? ''], admin: [admin ?? ''] };
  await f.waitFor(w.apps.main, 'compared', (s) => s.sync.revision === w.revision);
  await Promise.all([w.apps.main, w.apps.memberStuck, w.apps.adminStuck].map((a) => startSync(f, a)));
  await f.waitFor(w.apps.main, 'main synced once', (s) => s.operationState?.phase === 'Succeeded' && s.history?.length === 1);
  for (const a of [w.apps.memberStuck, w.apps.adminStuck]) await f.waitFor(a, `${a} stuck on its claim`, (s) => s.operationState?.phase === 'Running' && /waiting/.test(s.operationState.message));
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return { f, server, world: { ...w, subjects }, tokens, secrets: [secretValue, b64(secretValue), repoPassword, b64(repoPassword)] };
}

/** What a refused mutation must not change: existence, operation, termination, deletion, finalizers. */
async function snapshot(f: AppFixture, app: string): Promise<unknown> {
  const obj = await f.live(f.ctrl.appPath(app));
  if (!obj) return 'gone';
  const md = obj.metadata ?? {};
  return { generation: md['generation'], operation: obj['operation'], terminate: (md['annotations'] as Record<string, string> | undefined)?.[TERMINATE], deleting: md['deletionTimestamp'], finalizers: md['finalizers'] };
}

/** The names of the Applications a stream delivered up to a change of `marker` made after it connected. */
async function streamNames(s: Setup, token: string, path: string): Promise<{ status: number; names: string[]; text: string }> {
  const res = await s.server.call(token || undefined, path, { signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200) return { status: res.status, names: [], text: await res.text() };
  const reader = res.body?.getReader();
  assert.ok(reader, 'a stream body');
  const mark = randomBytes(4).toString('hex');
  const decoder = new TextDecoder();
  let text = '';
  for (let patched = false; ;) {
    const chunk = (await reader.read()) as { value?: Uint8Array; done: boolean };
    if (chunk.done) throw new Error(`${path}: the stream ended before the marker arrived`);
    text += decoder.decode(chunk.value, { stream: true });
    if (!patched && text.includes(': connected')) {
      patched = true;
      await s.f.kube.request('PATCH', s.f.ctrl.appPath(s.world.apps.main), { body: { metadata: { annotations: { 'authz-test/mark': mark } } }, contentType: 'application/merge-patch+json' });
    }
    if (text.includes(`"authz-test/mark":"${mark}"`) && text.endsWith('\n\n')) break;
  }
  await reader.cancel();
  const names = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => (JSON.parse(l.slice(6)) as { result: { application: { metadata: { name: string } } } }).result.application.metadata.name);
  return { status: 200, names: [...new Set(names)], text };
}

/** One call of the table; returns the body text for the leak scan. */
async function runCase(s: Setup, row: Row, caller: Caller, c: Case, token: string): Promise<string> {
  const label = `${caller} ${row.method} ${c.path}`;
  const before = c.untouched ? await snapshot(s.f, c.untouched) : undefined;
  if (c.stream) {
    const r = await streamNames(s, token, c.path);
    assert.equal(r.status, c.status, `${label}: ${r.text}`);
    try {
      c.check?.(r.names);
    } catch (e) {
      throw new Error(`${label}: ${(e as Error).message}`, { cause: e });
    }
    return r.text;
  }
  const init: RequestInit = { method: row.method, ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }) };
  const res = await s.server.call(token || undefined, c.path, init);
  const text = await res.text();
  assert.equal(res.status, c.status, `${label}: ${text}`);
  if (c.error) assert.match((JSON.parse(text) as { error: string }).error, c.error, label);
  try {
    c.check?.(JSON.parse(text));
  } catch (e) {
    throw new Error(`${label}: ${(e as Error).message}`, { cause: e });
  }
  if (c.untouched) assert.deepEqual(await snapshot(s.f, c.untouched), before, `${label}: ${c.untouched} was changed by a refused call`);
  return text;
}

/** The member gets the same answer for another project's Application or project as for one that does not exist. */
async function checkNoExistenceOracle(s: Setup, rows: readonly Row[]): Promise<number> {
  const [token = ''] = s.tokens.member;
  const ghosts = [[s.world.apps.foreign, s.f.appName('authz-ghost')], [s.world.otherProject, s.f.appName('authz-ghost-project')]] as const;
  let compared = 0;
  for (const row of rows) {
    const c = row.cases.memberForeign;
    const pair = ghosts.find(([real]) => c?.path.includes(`/${real}`));
    if (!c || !pair) continue;
    const [real, ghost] = pair;
    const init = { method: row.method, ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }) };
    const [a, b] = await Promise.all([c.path, c.path.replace(`/${real}`, `/${ghost}`)].map(async (p) => { const r = await s.server.call(token, p, init); return { status: r.status, text: (await r.text()).replaceAll(ghost, real) }; }));
    assert.deepEqual(a, b, `${row.method} ${row.pattern}: another project's object and a missing one answer alike`);
    compared++;
  }
  return compared;
}

/** What the callers whose calls succeeded actually did. */
async function checkEffects(s: Setup): Promise<void> {
  const { f, world: w } = s;
  const by = (name: string) => (st: ApplicationStatus): boolean => st.operationState?.operation.initiatedBy.username === name && st.operationState.phase === 'Succeeded';
  await f.waitFor(w.apps.memberSync, 'synced by the member', by(w.subjects.member.subject));
  await f.waitFor(w.apps.adminSync, 'synced by admin', by(w.subjects.admin.subject));
  await f.waitFor(w.apps.main, 'rollback dry run by admin', by(w.subjects.admin.subject));
  for (const a of [w.apps.memberStuck, w.apps.adminStuck]) {
    const ended = await f.waitFor(a, `${a} terminated`, (st) => st.operationState?.phase === 'Failed');
    assert.equal(ended.operationState?.message, 'Operation terminated');
  }
  assert.equal(await f.live(f.ctrl.appPath(w.apps.throwaway)), undefined, 'admin deleted the throwaway Application');
  for (const a of [w.apps.main, w.apps.foreign]) assert.ok(await f.live(f.ctrl.appPath(a)), `${a} still exists`);
  assert.equal((await f.status(w.apps.foreign))?.operationState, undefined, 'nobody started an operation on the foreign Application');
}

/** /metrics and the webhook, outside /api/v1: metrics open, webhooks only when signed. */
async function runOutside(s: Setup): Promise<string[]> {
  const metrics = await s.server.call(undefined, '/metrics');
  assert.equal(metrics.status, 200);
  const body = JSON.stringify({ ref: 'refs/heads/main', after: s.world.revision, repository: { clone_url: s.f.repoURL, html_url: s.f.repoURL.replace(/\.git$/, '') }, commits: [] });
  const hook = (signature?: string): Promise<Response> => s.server.call(undefined, '/api/webhook', { method: 'POST', body, headers: { 'x-github-event': 'push', ...(signature ? { 'x-hub-signature-256': signature } : {}) } });
  const texts = [await metrics.text()];
  for (const [sig, status] of [[undefined, 401], [`sha256=${hmacHex('sha256', 'not-the-secret', Buffer.from(body))}`, 401], [`sha256=${hmacHex('sha256', WEBHOOK_SECRET, Buffer.from(body))}`, 200]] as const) {
    const res = await hook(sig);
    const text = await res.text();
    assert.equal(res.status, status, `webhook ${sig ? 'signed' : 'unsigned'}: ${text}`);
    texts.push(text);
  }
  return texts;
}

test('every API route answers each caller as its role allows, and no answer leaks a Secret', async (t) => {
  const s = await setUp(t);
  const rows = authzRows(s.world);
  const routes = s.server.api['router'].patterns();
  assert.deepEqual(rows.map((r) => `${r.method} ${r.pattern}`).sort(), [...routes].sort(), 'the table has exactly one row per registered route');
  const bodies: { label: string; text: string }[] = [];
  for (const row of rows) {
    if (row.pattern.startsWith('/api/v1/applications/:name')) assert.ok(row.cases.memberForeign, `${row.pattern}: a row for another project's Application`);
    for (const [caller, c] of Object.entries(row.cases) as [Caller, Case][]) {
      for (const token of s.tokens[caller]) bodies.push({ label: `${caller} ${row.method} ${c.path}`, text: await runCase(s, row, caller, c, token) });
    }
  }
  const oracles = await checkNoExistenceOracle(s, rows);
  assert.equal(oracles, rows.filter((r) => r.cases.memberForeign && r.pattern.includes(':name')).length, 'every route with a name compared');
  await checkEffects(s);
  bodies.push(...(await runOutside(s)).map((text, i) => ({ label: i === 0 ? 'GET /metrics' : `webhook ${i}`, text })));
  assert.ok(bodies.some((b) => b.text.includes(`"name":"${s.world.secretName}"`)), 'the scanned answers do show the Secret (masked)');
  const leaks = bodies.filter((b) => s.secrets.some((secret) => b.text.includes(secret))).map((b) => b.label);
  assert.deepEqual(leaks, [], 'no response carries a Secret value, plain or base64');
  const calls = rows.reduce((n, r) => n + Object.entries(r.cases).reduce((m, [caller]) => m + s.tokens[caller as Caller].length, 0), 0);
  t.diagnostic(`${rows.length} routes, ${calls} calls`);
});
