// Bitbucket Cloud (repo:push, authenticated by the hook's X-Hook-UUID, as Argo CD does) and Bitbucket
// Server / Data Center (repo:refs_changed, X-Hub-Signature HMAC-SHA256).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hmacHex } from './signature.js';
import { application, fixture, startWebhookServer } from './test-server.js';

const HOOK_UUID = '{5c6d7e8f-1a2b-4c3d-9e8f-7a6b5c4d3e2f}';
const SERVER_SECRET = 'bbs-secret-77e2';

const cloudApps = [
  application('main', { repoURL: 'git@bitbucket.org:acme-team/payments-config.git', targetRevision: 'main', path: 'base' }),
  application('release', { repoURL: 'https://bitbucket.org/acme-team/payments-config', targetRevision: 'v3.1.0', path: 'base' }),
  application('head', { repoURL: 'https://kari@bitbucket.org/acme-team/payments-config.git', targetRevision: 'HEAD', path: 'base' }),
  application('feature', { repoURL: 'https://bitbucket.org/acme-team/payments-config', targetRevision: 'feature/x', path: 'base' }),
];

test('a Bitbucket Cloud push with the configured hook UUID refreshes the apps of every ref it moved', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { bitbucketUuid: HOOK_UUID }, apps: cloudApps });
  const bare = await srv.post({ 'x-event-key': 'repo:push', 'x-hook-uuid': HOOK_UUID.slice(1, -1).toUpperCase() }, fixture('bitbucket-push.json'));
  assert.equal(bare.status, 200, 'the UUID with or without braces, in either case');
  const { status, json } = await srv.post({ 'x-event-key': 'repo:push', 'x-hook-uuid': HOOK_UUID, 'x-request-uuid': 'b1c2d3e4-0000-4000-8000-000000000001', 'user-agent': 'Bitbucket-Webhooks/2.0' }, fixture('bitbucket-push.json'));
  assert.equal(status, 200);
  assert.equal(json['provider'], 'bitbucket');
  // Both changes (branch main and tag v3.1.0) count; the payload does not name the default branch,
  // so HEAD is refreshed too.
  assert.deepEqual(json['applications'], ['fjord/main', 'fjord/head', 'fjord/release']);
  assert.deepEqual(json['pushes'], [
    { repository: 'https://bitbucket.org/acme-team/payments-config', ref: 'refs/heads/main', revision: '5ee1c0de9876543210fedcba9876543210fedcba' },
    { repository: 'https://bitbucket.org/acme-team/payments-config', ref: 'refs/tags/v3.1.0', revision: '5ee1c0de9876543210fedcba9876543210fedcba' },
  ]);
});

test('a Bitbucket Cloud push with another or no X-Hook-UUID is refused with 401', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { bitbucketUuid: HOOK_UUID }, apps: cloudApps });
  const body = fixture('bitbucket-push.json');
  assert.equal((await srv.post({ 'x-event-key': 'repo:push', 'x-hook-uuid': '{00000000-0000-4000-8000-000000000000}' }, body)).status, 401);
  const missing = await srv.post({ 'x-event-key': 'repo:push' }, body);
  assert.equal(missing.status, 401);
  assert.match(String(missing.json['error']), /bitbucket webhook: X-Hook-UUID is missing/);
  assert.deepEqual(srv.pushed, []);
});

test('a Bitbucket Cloud webhook secret (X-Hub-Signature HMAC) is checked when configured', async (t) => {
  const secret = 'bb-cloud-secret-19ce';
  const srv = await startWebhookServer(t, { secrets: { bitbucket: secret }, apps: cloudApps });
  const body = fixture('bitbucket-push.json');
  const signed = await srv.post({ 'x-event-key': 'repo:push', 'x-hook-uuid': HOOK_UUID, 'x-hub-signature': `sha256=${hmacHex('sha256', secret, Buffer.from(body))}` }, body);
  assert.equal(signed.status, 200);
  assert.deepEqual(signed.json['applications'], ['fjord/main', 'fjord/head', 'fjord/release']);
  const forged = await srv.post({ 'x-event-key': 'repo:push', 'x-hook-uuid': HOOK_UUID, 'x-hub-signature': `sha256=${hmacHex('sha256', 'guess', Buffer.from(body))}` }, body);
  assert.equal(forged.status, 401);
  assert.match(String(forged.json['error']), /X-Hub-Signature does not match/);
  assert.equal((await srv.post({ 'x-event-key': 'repo:push', 'x-hook-uuid': HOOK_UUID }, body)).status, 401);
  assert.equal(srv.pushed.flatMap((p) => p.appKeys).length, 3);
});

test('Bitbucket Cloud events other than repo:push are ignored', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { bitbucketUuid: HOOK_UUID }, apps: cloudApps });
  const { status, json } = await srv.post({ 'x-event-key': 'pullrequest:created', 'x-hook-uuid': HOOK_UUID }, '{"pullrequest":{}}');
  assert.equal(status, 200);
  assert.equal(json['ignored'], 'event "pullrequest:created" is not a push');
});

const serverApps = [
  application('https', { repoURL: 'https://bitbucket.acme.example/scm/plat/payments-config.git', targetRevision: 'release/2026-11', path: 'base' }),
  application('ssh', { repoURL: 'ssh://git@bitbucket.acme.example:7999/PLAT/payments-config.git', targetRevision: 'refs/heads/release/2026-11', path: 'base' }),
  application('main', { repoURL: 'https://bitbucket.acme.example/scm/plat/payments-config.git', targetRevision: 'main', path: 'base' }),
];

test('a signed Bitbucket Server refs_changed refreshes the apps on its clone URLs and branch', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { bitbucketServer: SERVER_SECRET }, apps: serverApps });
  const body = fixture('bitbucketserver-refs-changed.json');
  const signature = `sha256=${hmacHex('sha256', SERVER_SECRET, Buffer.from(body))}`;
  const { status, json } = await srv.post({ 'x-event-key': 'repo:refs_changed', 'x-request-id': 'f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b', 'x-hub-signature': signature }, body);
  assert.equal(status, 200);
  assert.equal(json['provider'], 'bitbucketserver');
  assert.deepEqual(json['applications'], ['fjord/https', 'fjord/ssh']);
});

test('a Bitbucket Server hook with a bad or missing X-Hub-Signature is refused; diagnostics:ping is ignored', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { bitbucketServer: SERVER_SECRET }, apps: serverApps });
  const body = fixture('bitbucketserver-refs-changed.json');
  const bad = `sha256=${hmacHex('sha256', 'guess', Buffer.from(body))}`;
  assert.equal((await srv.post({ 'x-event-key': 'repo:refs_changed', 'x-hub-signature': bad }, body)).status, 401);
  assert.equal((await srv.post({ 'x-event-key': 'repo:refs_changed' }, body)).status, 401);
  const ping = '{"test":true}';
  const pong = await srv.post({ 'x-event-key': 'diagnostics:ping', 'x-hub-signature': `sha256=${hmacHex('sha256', SERVER_SECRET, Buffer.from(ping))}` }, ping);
  assert.equal(pong.status, 200);
  assert.match(String(pong.json['ignored']), /diagnostics:ping/);
  assert.deepEqual(srv.pushed, []);
});
