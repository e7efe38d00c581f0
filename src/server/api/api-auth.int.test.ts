// The API's front door: no token or a wrong one is 401; a read-only token reads but cannot act (403
// naming the permission); a project role sees and acts only in its project, as its AppProject's
// policies say; lists are filtered and paginated; /metrics and settings need no token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../../testing/app-fixture.js';
import { startTestServer } from '../../testing/server.js';

interface AppList { items: { metadata: { name: string; labels?: Record<string, string> }; spec: { project: string } }[]; metadata: { total: number; continue?: string } }

test('tokens and roles decide who may read and act; lists filter and paginate', async (t) => {
  const f = await startAppFixture(t);
  await f.push({ 'a/cm.yaml': configMap('api-auth', { v: '1' }) }, 'one config map');
  const projectPath = `/apis/fjord.dev/v1alpha1/namespaces/${f.ctrl.namespace}/appprojects`;
  await f.kube.create(projectPath, {
    apiVersion: 'fjord.dev/v1alpha1', kind: 'AppProject', metadata: { name: 'team-a', namespace: f.ctrl.namespace },
    spec: {
      sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }],
      roles: [{ name: 'deployer', policies: [`p, proj:team-a:deployer, applications, get, team-a/*, allow`, `p, proj:team-a:deployer, applications, sync, team-a/*, allow`] }],
    },
  });
  const names = Array.from({ length: 7 }, (_, i) => `${f.appName('page')}-${i}`).sort();
  await Promise.all(names.map((name, i) => f.ctrl.createApp(name, { ...f.spec('a'), project: i < 2 ? 'team-a' : 'default' }, { metadata: { labels: { tier: i % 2 === 0 ? 'even' : 'odd' } } })));
  const server = await startTestServer(t, f.ctrl);
  const admin = await server.token('admin', ['role:admin']);
  const reader = await server.token('auditor', ['role:readonly']);
  const deployer = await server.token('ci-bot', ['proj:team-a:deployer']);

  // 401: no token, malformed, unknown, or a real token's id with a wrong secret.
  assert.equal((await server.call(undefined, '/api/v1/applications')).status, 401);
  assert.equal((await server.call('nonsense', '/api/v1/applications')).status, 401);
  assert.equal((await server.call(`${admin.slice(0, -4)}AAAA`, '/api/v1/applications')).status, 401);
  const unauth = await server.call(undefined, `/api/v1/applications/${names[0] ?? ''}`);
  assert.match(((await unauth.json()) as { error: string }).error, /authentication required/);

  // Pagination over all seven, in name order, three at a time.
  const seen: string[] = [];
  let cont: string | undefined;
  do {
    const res = await server.call(admin, `/api/v1/applications?limit=3${cont ? `&continue=${cont}` : ''}`);
    assert.equal(res.status, 200);
    const page = (await res.json()) as AppList;
    assert.equal(page.metadata.total, 7);
    assert.ok(page.items.length <= 3);
    seen.push(...page.items.map((a) => a.metadata.name));
    cont = page.metadata.continue;
  } while (cont);
  assert.deepEqual(seen, names);
  const filtered = (await (await server.call(admin, '/api/v1/applications?selector=tier=even&project=default')).json()) as AppList;
  assert.deepEqual(filtered.items.map((a) => a.metadata.name), names.filter((_, i) => i >= 2 && i % 2 === 0));
  const searched = (await (await server.call(admin, `/api/v1/applications?search=${encodeURIComponent(names[3]?.toUpperCase() ?? '')}`)).json()) as AppList;
  assert.deepEqual(searched.items.map((a) => a.metadata.name), [names[3]]);
  assert.equal((await server.call(admin, '/api/v1/applications?limit=0')).status, 400);

  // Read-only: reads everything, may not sync; the 403 names the permission.
  assert.equal(((await (await server.call(reader, '/api/v1/applications')).json()) as AppList).metadata.total, 7);
  const denied = await server.call(reader, `/api/v1/applications/${names[3] ?? ''}/sync`, { method: 'POST', body: '{}' });
  assert.equal(denied.status, 403);
  assert.match(((await denied.json()) as { error: string }).error, new RegExp(`applications, sync, default/${names[3] ?? ''}.*auditor`));

  // A project role: sees only team-a's two apps, may sync them, and nothing else exists for it.
  const mine = (await (await server.call(deployer, '/api/v1/applications')).json()) as AppList;
  assert.deepEqual(mine.items.map((a) => a.metadata.name), names.slice(0, 2));
  const synced = await server.call(deployer, `/api/v1/applications/${names[0] ?? ''}/sync`, { method: 'POST', body: JSON.stringify({ prune: false }) });
  assert.equal(synced.status, 200, await synced.clone().text());
  assert.equal((await server.call(deployer, `/api/v1/applications/${names[0] ?? ''}`, { method: 'DELETE' })).status, 403);
  assert.equal((await server.call(deployer, `/api/v1/applications/${names[4] ?? ''}`)).status, 404, 'reading an app it cannot see is not found either');
  assert.equal((await server.call(deployer, `/api/v1/applications/${names[4] ?? ''}/sync`, { method: 'POST', body: '{}' })).status, 404, 'an app it cannot see is not found');
  await f.waitFor(names[0] ?? '', 'synced by the project role', (s) => s.operationState?.phase === 'Succeeded' && s.operationState.operation.initiatedBy.username === 'ci-bot');

  // Bodies are validated; unknown paths and methods are told apart.
  const bad = await server.call(admin, `/api/v1/applications/${names[1] ?? ''}/sync`, { method: 'POST', body: JSON.stringify({ prune: 'yes' }) });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /prune/);
  assert.equal((await server.call(admin, '/api/v1/nothing')).status, 404);
  assert.equal((await server.call(admin, '/api/v1/applications', { method: 'PUT', body: '{}' })).status, 405);
  const big = await server.call(admin, `/api/v1/applications/${names[1] ?? ''}/sync`, { method: 'POST', body: JSON.stringify({ revision: 'x'.repeat(2 * 1024 * 1024) }) });
  assert.equal(big.status, 413);

  // Open endpoints.
  assert.equal((await server.call(undefined, '/api/v1/settings')).status, 200);
  const metrics = await (await server.call(undefined, '/metrics')).text();
  for (const name of ['fjord_app_info{', 'fjord_app_reconcile_duration_seconds_bucket', 'fjord_git_request_total{', 'fjord_api_request_duration_seconds_bucket', 'workqueue_depth', 'fjord_app_sync_total{']) {
    assert.ok(metrics.includes(name), `metrics have ${name}`);
  }
  assert.match(metrics, new RegExp(`fjord_app_info\\{name="${names[0] ?? ''}".*sync_status="Synced"`));
});
