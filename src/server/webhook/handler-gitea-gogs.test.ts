// Gitea (X-Gitea-Event, X-Gitea-Signature) and Gogs (X-Gogs-Event, X-Gogs-Signature): hex
// HMAC-SHA256 of the body. Gitea also sends Gogs' and GitHub's headers; its own win.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hmacHex } from './signature.js';
import { application, fixture, startWebhookServer } from './test-server.js';

const GITEA_SECRET = 'gitea-secret-0b3e';
const GOGS_SECRET = 'gogs-secret-51aa';
const hex = (secret: string, body: string): string => hmacHex('sha256', secret, Buffer.from(body));

const apps = [
  application('gitea-staging', { repoURL: 'https://gitea.acme.example/platform/payments-config.git', targetRevision: 'main', path: 'overlays/staging-frankfurt' }, { 'fjord.dev/manifest-generate-paths': '.' }),
  application('gitea-oslo', { repoURL: 'git@gitea.acme.example:platform/payments-config.git', targetRevision: 'main', path: 'overlays/production-oslo' }, { 'fjord.dev/manifest-generate-paths': '.' }),
  application('gogs-web', { repoURL: 'ssh://git@gogs.acme.example:2222/platform/payments-config.git', targetRevision: 'develop', path: 'apps/web' }, { 'argocd.argoproj.io/manifest-generate-paths': '.' }),
  application('gogs-head', { repoURL: 'https://gogs.acme.example/platform/payments-config', targetRevision: 'HEAD', path: 'apps/web' }),
];

test('a Gitea push signed with X-Gitea-Signature refreshes the apps whose paths changed', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { gitea: GITEA_SECRET, github: 'unrelated-github-secret' }, apps });
  const body = fixture('gitea-push.json');
  const { status, json } = await srv.post({
    'x-gitea-event': 'push', 'x-gitea-event-type': 'push', 'x-gitea-signature': hex(GITEA_SECRET, body), 'x-gitea-delivery': '6a0b7c8d-1111-4222-8333-944455556666',
    'x-gogs-event': 'push', 'x-gogs-signature': hex(GITEA_SECRET, body), 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hex(GITEA_SECRET, body)}`,
  }, body);
  assert.equal(status, 200);
  assert.equal(json['provider'], 'gitea');
  assert.deepEqual(json['applications'], ['fjord/gitea-staging']);
});

test('a Gitea push with a bad signature is refused with 401', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { gitea: GITEA_SECRET }, apps });
  const body = fixture('gitea-push.json');
  const res = await srv.post({ 'x-gitea-event': 'push', 'x-gitea-signature': hex('wrong', body) }, body);
  assert.equal(res.status, 401);
  assert.match(String(res.json['error']), /X-Gitea-Signature does not match/);
  assert.equal((await srv.post({ 'x-gitea-event': 'push' }, body)).status, 401);
  assert.deepEqual(srv.pushed, []);
});

test('a Gogs push signed with X-Gogs-Signature refreshes the apps on its branch; others are ignored', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { gogs: GOGS_SECRET }, apps });
  const body = fixture('gogs-push.json');
  const { status, json } = await srv.post({ 'x-gogs-event': 'push', 'x-gogs-delivery': '1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5', 'x-gogs-signature': hex(GOGS_SECRET, body) }, body);
  assert.equal(status, 200);
  assert.equal(json['provider'], 'gogs');
  // develop moved; HEAD is main per the payload, so gogs-head is not refreshed.
  assert.deepEqual(json['applications'], ['fjord/gogs-web']);
  assert.equal((await srv.post({ 'x-gogs-event': 'push', 'x-gogs-signature': hex('nope', body) }, body)).status, 401);
  const created = await srv.post({ 'x-gogs-event': 'create', 'x-gogs-signature': hex(GOGS_SECRET, '{}') }, '{}');
  assert.equal(created.status, 200);
  assert.match(String(created.json['ignored']), /create/);
  assert.equal(srv.pushed.length, 1);
});
