// End to end: a controller that polls Git only every ten minutes, an automated Application on the
// local Git server, and this handler on a real HTTP port. A push followed by a GitHub-shaped signed
// webhook lands in the cluster within about a second; a badly signed one changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAppFixture, configMap, deploymentYaml } from '../../testing/app-fixture.js';
import { eventually } from '../../testing/wait.js';
import { silentLogger } from '../../util/log.js';
import { webhookHandler } from './handler.js';
import { hmacHex } from './signature.js';

const SECRET = 'int-test-github-secret-5e1f';

/** What GitHub sends for a push of `after` to main of the repository at `cloneUrl`. */
function githubPush(cloneUrl: string, before: string, after: string, modified: string[]): string {
  const htmlUrl = cloneUrl.replace(/\.git$/, '');
  return JSON.stringify({
    ref: 'refs/heads/main', before, after, created: false, deleted: false, forced: false,
    repository: { name: 'config', full_name: 'org/config', html_url: htmlUrl, clone_url: cloneUrl, ssh_url: 'git@127.0.0.1:org/config.git', default_branch: 'main' },
    commits: [{ id: after, message: 'web: three replicas', added: [], removed: [], modified }],
    head_commit: { id: after, added: [], removed: [], modified },
  });
}

async function post(url: string, body: string, signature: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature } });
  return { status: res.status, json: await res.json() as Record<string, unknown> };
}

test('a signed GitHub webhook applies a pushed commit at once; a badly signed one changes nothing', async (t) => {
  const f = await startAppFixture(t, { pollIntervalMs: 600_000 });
  const first = await f.push({ 'apps/web/deployment.yaml': deploymentYaml('web', 1), 'apps/other/cm.yaml': configMap('other', { a: '1' }) }, 'web: one replica');
  const web = f.appName('web');
  const other = f.appName('other');
  await f.ctrl.createApp(web, f.spec('apps/web', { syncPolicy: { automated: { prune: true } } }), { metadata: { annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' } } });
  await f.ctrl.createApp(other, f.spec('apps/other'), { metadata: { annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' } } });
  await f.waitFor(web, 'web Synced at the first commit', (s) => s.sync.status === 'Synced' && s.sync.revision === first);
  // The poller's first tick ran before these Applications existed, so until its next tick (ten
  // minutes) every reconcile would ask Git itself. Let it learn the refs now, as a poll would.
  await f.ctrl.manager.repositoryPushed(f.repoURL, []);

  const handler = webhookHandler({
    secrets: () => ({ github: SECRET }),
    applications: () => f.ctrl.manager.applications(),
    repositoryPushed: (url, keys) => f.ctrl.manager.repositoryPushed(url, keys),
    log: silentLogger,
  });
  const server = createServer((req, res) => { void handler(req, res); });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  t.after(() => { server.closeAllConnections(); server.close(); });
  const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhook`;
  const deployment = `/apis/apps/v1/namespaces/${f.dest}/deployments/web`;
  const replicas = async (): Promise<number | undefined> => ((await f.live(deployment))?.['spec'] as { replicas?: number } | undefined)?.replicas;

  // A push announced with the wrong signature: 401, and the ten-minute poll is all that could notice.
  const second = await f.push({ 'apps/web/deployment.yaml': deploymentYaml('web', 2) }, 'web: two replicas');
  const badBody = githubPush(f.repoURL, first, second, ['apps/web/deployment.yaml']);
  const bad = await post(hookUrl, badBody, `sha256=${hmacHex('sha256', 'not-the-secret', Buffer.from(badBody))}`);
  assert.equal(bad.status, 401);
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(await replicas(), 1, 'a badly signed webhook applied nothing');
  assert.equal((await f.status(web))?.sync.revision, first);

  // The same kind of push, signed right: the new commit is applied without waiting for the poll.
  const pushedAt = Date.now();
  const third = await f.push({ 'apps/web/deployment.yaml': deploymentYaml('web', 3) }, 'web: three replicas');
  const body = githubPush(f.repoURL, second, third, ['apps/web/deployment.yaml']);
  const hookAt = Date.now();
  const good = await post(hookUrl, body, `sha256=${hmacHex('sha256', SECRET, Buffer.from(body))}`);
  assert.equal(good.status, 200);
  // Only the app whose manifest-generate-paths the push touched is woken.
  assert.deepEqual(good.json['applications'], [`${f.ctrl.namespace}/${web}`]);
  await eventually('three replicas applied', async () => (await replicas()) === 3 ? true : undefined, 20_000);
  const ms = Date.now() - pushedAt;
  t.diagnostic(`push-to-applied through the webhook: ${ms} ms (git push ${hookAt - pushedAt} ms, webhook to applied ${Date.now() - hookAt} ms)`);
  await f.waitFor(web, 'web Synced at the third commit', (s) => s.sync.status === 'Synced' && s.sync.revision === third, 20_000);
  assert.ok(ms < 10_000, `applied ${ms} ms after the push: the webhook, not the 10-minute poll, woke the controller`);
});
