// GitHub push webhooks: X-GitHub-Event and X-Hub-Signature-256 (HMAC-SHA256 of the body), the push
// payload's URL forms, branch and tag pushes, and the ping GitHub sends when a hook is created.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hmacHex } from './signature.js';
import { application, fixture, startWebhookServer } from './test-server.js';

const SECRET = 'gh-webhook-secret-4f1b9c';
const push = fixture('github-push.json');
const sign = (body: string, secret = SECRET): string => `sha256=${hmacHex('sha256', secret, Buffer.from(body))}`;
const headers = (event: string, body: string, secret = SECRET): Record<string, string> => ({
  'x-github-event': event, 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'x-hub-signature-256': sign(body, secret),
  'user-agent': 'GitHub-Hookshot/044aadd',
});

const apps = [
  application('via-https', { repoURL: 'https://github.com/acme/payments-config.git', targetRevision: 'main', path: 'overlays/staging-frankfurt' }),
  application('via-scp', { repoURL: 'git@github.com:acme/payments-config.git', targetRevision: 'HEAD', path: 'base' }),
  application('via-ssh-url', { repoURL: 'ssh://git@github.com/Acme/Payments-Config', targetRevision: 'refs/heads/main', path: '.' }),
  application('other-branch', { repoURL: 'https://github.com/acme/payments-config', targetRevision: 'develop', path: 'base' }),
  application('other-repo', { repoURL: 'https://github.com/acme/payments-config-archive', targetRevision: 'main', path: 'base' }),
  application('on-tag', { repoURL: 'https://github.com/acme/payments-config', targetRevision: 'v2.4.0', path: 'base' }),
];

test('a correctly signed GitHub push refreshes the apps on that repository and branch, whatever URL form they use', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { github: SECRET }, apps });
  const { status, json } = await srv.post(headers('push', push), push);
  assert.equal(status, 200);
  assert.equal(json['provider'], 'github');
  assert.deepEqual(json['applications'], ['fjord/via-https', 'fjord/via-scp', 'fjord/via-ssh-url']);
  assert.deepEqual(json['pushes'], [{ repository: 'https://github.com/acme/payments-config', ref: 'refs/heads/main', revision: '4e2d8b6a0c1f3e5d7b9a2c4e6f8a0b1c3d5e7f90' }]);
  // One ask per repository URL the controller polls (it keys them by normalizeRepoUrl), spelled as
  // the Applications spell it.
  assert.deepEqual(srv.pushed, [
    { repoUrl: 'https://github.com/acme/payments-config.git', appKeys: ['fjord/via-https'] },
    { repoUrl: 'git@github.com:acme/payments-config.git', appKeys: ['fjord/via-scp'] },
    { repoUrl: 'ssh://git@github.com/Acme/Payments-Config', appKeys: ['fjord/via-ssh-url'] },
  ]);
  assert.ok(!srv.logs.join('\n').includes(SECRET), 'the secret never reaches the log');
});

test('a GitHub push with a wrong or missing signature is refused with 401 and refreshes nothing', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { github: SECRET }, apps });
  const wrong = await srv.post(headers('push', push, 'not-the-secret'), push);
  assert.equal(wrong.status, 401);
  assert.match(String(wrong.json['error']), /X-Hub-Signature-256 does not match/);
  const { 'x-hub-signature-256': _dropped, ...unsigned } = headers('push', push);
  const missing = await srv.post(unsigned, push);
  assert.equal(missing.status, 401);
  assert.match(String(missing.json['error']), /X-Hub-Signature-256 is missing/);
  // A body changed after signing (the signature of the original) is refused too.
  const tampered = push.replace('refs/heads/main', 'refs/heads/develop');
  assert.equal((await srv.post(headers('push', push), tampered)).status, 401);
  assert.deepEqual(srv.pushed, []);
  const log = srv.logs.join('\n');
  assert.match(log, /webhook refused/);
  assert.ok(!log.includes(SECRET) && !log.includes(sign(push)), 'neither the secret nor the signature is logged');
});

test('without a configured GitHub secret, unsigned pushes are accepted (as Argo CD does)', async (t) => {
  const srv = await startWebhookServer(t, { apps });
  const { status } = await srv.post({ 'x-github-event': 'push' }, push);
  assert.equal(status, 200);
  assert.deepEqual(srv.pushed.flatMap((p) => p.appKeys), ['fjord/via-https', 'fjord/via-scp', 'fjord/via-ssh-url']);
});

test('GitHub ping and other events are answered 200 and ignored', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { github: SECRET }, apps });
  const ping = fixture('github-ping.json');
  const res = await srv.post(headers('ping', ping), ping);
  assert.equal(res.status, 200);
  assert.equal(res.json['ignored'], 'event "ping" is not a push');
  const pr = await srv.post(headers('pull_request', push), push);
  assert.equal(pr.status, 200);
  assert.match(String(pr.json['ignored']), /pull_request/);
  assert.deepEqual(srv.pushed, []);
});

test('a GitHub tag push refreshes only the apps tracking that tag', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { github: SECRET }, apps });
  const tag = fixture('github-tag.json');
  const { status, json } = await srv.post(headers('push', tag), tag);
  assert.equal(status, 200);
  // HEAD tracks the default branch (main), named in the payload: a tag does not move it.
  assert.deepEqual(json['applications'], ['fjord/on-tag']);
});

test('GitHub form-encoded deliveries (payload=<JSON>) are read too', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { github: SECRET }, apps });
  const form = new URLSearchParams({ payload: push }).toString();
  const { status, json } = await srv.post({ ...headers('push', form), 'content-type': 'application/x-www-form-urlencoded' }, form);
  assert.equal(status, 200);
  assert.deepEqual(json['applications'], ['fjord/via-https', 'fjord/via-scp', 'fjord/via-ssh-url']);
});
