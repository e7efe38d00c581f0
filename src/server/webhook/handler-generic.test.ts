// Fjord's generic webhook (X-Fjord-Signature: sha256=<hex HMAC>) and what every request meets first:
// the method, the body size limit and provider detection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signGeneric } from './signature.js';
import { application, fixture, startWebhookServer } from './test-server.js';

const SECRET = 'generic-secret-c41d';
const apps = [
  application('oslo', { repoURL: 'https://git.acme.example/platform/payments-config', targetRevision: 'main', path: 'overlays/production-oslo' }, { 'fjord.dev/manifest-generate-paths': '.' }),
  application('frankfurt', { repoURL: 'https://git.acme.example/platform/payments-config', targetRevision: 'main', path: 'overlays/staging-frankfurt' }, { 'fjord.dev/manifest-generate-paths': '.' }),
  application('pinned', { repoURL: 'https://git.acme.example/platform/payments-config', targetRevision: '3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f', path: 'base' }),
  application('tagged', { repoURL: 'https://git.acme.example/platform/payments-config', targetRevision: 'v9', path: 'base' }),
];

test('a signed generic payload refreshes the apps on its repository, ref and paths', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { generic: SECRET }, apps });
  const body = fixture('generic.json');
  const { status, json } = await srv.post({ 'x-fjord-signature': signGeneric(SECRET, body) }, body);
  assert.equal(status, 200);
  assert.equal(json['provider'], 'generic');
  // A pinned commit never moves, so a push does not concern it.
  assert.deepEqual(json['applications'], ['fjord/oslo']);
});

test('a generic payload without ref or paths refreshes every app of the repository that can move', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { generic: SECRET }, apps });
  const body = JSON.stringify({ repository: 'git@git.acme.example:platform/payments-config.git' });
  const { json } = await srv.post({ 'x-fjord-signature': signGeneric(SECRET, body) }, body);
  assert.deepEqual(json['applications'], ['fjord/oslo', 'fjord/frankfurt', 'fjord/pinned', 'fjord/tagged']);
  const named = JSON.stringify({ repository: 'https://git.acme.example/platform/payments-config', revision: 'v9' });
  const tagged = await srv.post({ 'x-fjord-signature': signGeneric(SECRET, named) }, named);
  assert.deepEqual(tagged.json['applications'], ['fjord/tagged']);
});

test('a generic payload with a bad or missing signature is refused with 401', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { generic: SECRET }, apps });
  const body = fixture('generic.json');
  assert.equal((await srv.post({ 'x-fjord-signature': signGeneric('other', body) }, body)).status, 401);
  assert.equal((await srv.post({ 'x-fjord-signature': 'sha256=' }, body)).status, 401);
  const missing = await srv.post({ 'x-fjord-event': 'push' }, body);
  assert.equal(missing.status, 401);
  assert.match(String(missing.json['error']), /X-Fjord-Signature is missing/);
  assert.deepEqual(srv.pushed, []);
});

test('a body over the limit is refused with 413 before anything is read from it', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { generic: SECRET }, apps, maxBodyBytes: 1024 });
  const body = JSON.stringify({ repository: 'https://git.acme.example/platform/payments-config', padding: 'x'.repeat(2048) });
  const res = await srv.post({ 'x-fjord-signature': signGeneric(SECRET, body) }, body);
  assert.equal(res.status, 413);
  assert.match(String(res.json['error']), /larger than 1024 bytes/);
  assert.deepEqual(srv.pushed, []);
});

test('the default limit is 1 MiB', async (t) => {
  const srv = await startWebhookServer(t, { apps });
  const big = JSON.stringify({ repository: 'https://git.acme.example/platform/payments-config', padding: 'x'.repeat(1024 * 1024) });
  assert.equal((await srv.post({ 'x-fjord-event': 'push' }, big)).status, 413);
  const small = JSON.stringify({ repository: 'https://git.acme.example/platform/payments-config', padding: 'x'.repeat(1000 * 1000) });
  assert.equal((await srv.post({ 'x-fjord-event': 'push' }, small)).status, 200);
});

test('requests from no known provider get 400, other methods 405, broken JSON 400', async (t) => {
  const srv = await startWebhookServer(t, { apps });
  const unknown = await srv.post({}, fixture('generic.json'));
  assert.equal(unknown.status, 400);
  assert.match(String(unknown.json['error']), /X-GitHub-Event/);
  const get = await fetch(srv.url);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  const broken = await srv.post({ 'x-github-event': 'push' }, '{"ref": ');
  assert.equal(broken.status, 400);
  assert.match(String(broken.json['error']), /github webhook: the payload is not JSON/);
  assert.deepEqual(srv.pushed, []);
});

test('a failure while matching is answered 500 with the cause, and nothing is refreshed', async (t) => {
  const srv = await startWebhookServer(t, { apps: () => { throw new Error('informer not synced'); } });
  const res = await srv.post({ 'x-fjord-event': 'push' }, fixture('generic.json'));
  assert.equal(res.status, 500);
  assert.equal(res.json['error'], 'webhook failed: informer not synced');
  assert.deepEqual(srv.pushed, []);
});
