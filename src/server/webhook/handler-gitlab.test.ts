// GitLab push and tag push webhooks: X-Gitlab-Event and the X-Gitlab-Token shared secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { application, fixture, startWebhookServer } from './test-server.js';

const TOKEN = 'gl-token-93ad01';
const apps = [
  application('oslo', { repoURL: 'https://gitlab.acme.example/platform/payments-config.git', targetRevision: 'main', path: 'overlays/production-oslo' }, { 'argocd.argoproj.io/manifest-generate-paths': '.' }),
  application('frankfurt', { repoURL: 'git@gitlab.acme.example:platform/payments-config.git', targetRevision: 'main', path: 'overlays/staging-frankfurt' }, { 'argocd.argoproj.io/manifest-generate-paths': '.;/base' }),
  application('head', { repoURL: 'https://gitlab.acme.example/platform/payments-config', targetRevision: '', path: 'base' }),
  application('released', { repoURL: 'https://gitlab.acme.example/platform/payments-config', targetRevision: 'refs/tags/v1.8.2', path: 'overlays/production-oslo' }),
];

test('a GitLab push with the right token refreshes the apps whose manifest-generate-paths it touched', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { gitlab: TOKEN }, apps });
  const body = fixture('gitlab-push.json');
  const { status, json } = await srv.post({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': TOKEN, 'x-gitlab-instance': 'https://gitlab.acme.example' }, body);
  assert.equal(status, 200);
  assert.equal(json['provider'], 'gitlab');
  // The push changed only overlays/production-oslo/kustomization.yaml: frankfurt (its overlay and
  // base) is left alone; head tracks the default branch, main.
  assert.deepEqual(json['applications'], ['fjord/oslo', 'fjord/head']);
  assert.deepEqual(srv.pushed.flatMap((p) => p.appKeys), ['fjord/oslo', 'fjord/head']);
});

test('a GitLab tag push refreshes the apps tracking refs/tags/<tag>', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { gitlab: TOKEN }, apps });
  const body = fixture('gitlab-tag-push.json');
  const { status, json } = await srv.post({ 'x-gitlab-event': 'Tag Push Hook', 'x-gitlab-token': TOKEN }, body);
  assert.equal(status, 200);
  assert.deepEqual(json['applications'], ['fjord/released']);
});

test('a GitLab hook with a wrong or missing token is refused with 401 and refreshes nothing', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { gitlab: TOKEN }, apps });
  const body = fixture('gitlab-push.json');
  const wrong = await srv.post({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': `${TOKEN}x` }, body);
  assert.equal(wrong.status, 401);
  assert.match(String(wrong.json['error']), /X-Gitlab-Token does not match/);
  const missing = await srv.post({ 'x-gitlab-event': 'Push Hook' }, body);
  assert.equal(missing.status, 401);
  assert.deepEqual(srv.pushed, []);
});

test('GitLab merge request and system hooks that are not pushes are ignored', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { gitlab: TOKEN }, apps });
  const mr = await srv.post({ 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': TOKEN }, '{"object_kind":"merge_request"}');
  assert.equal(mr.status, 200);
  assert.equal(mr.json['ignored'], 'event "Merge Request Hook" is not a push');
  const system = await srv.post({ 'x-gitlab-event': 'System Hook', 'x-gitlab-token': TOKEN }, '{"event_name":"project_create","path_with_namespace":"platform/x"}');
  assert.equal(system.status, 200);
  assert.match(String(system.json['ignored']), /no repository/);
  assert.deepEqual(srv.pushed, []);
});

test('a GitLab system hook carrying a push is read like a project push', async (t) => {
  const srv = await startWebhookServer(t, { secrets: { gitlab: TOKEN }, apps });
  const { json } = await srv.post({ 'x-gitlab-event': 'System Hook', 'x-gitlab-token': TOKEN }, fixture('gitlab-push.json'));
  assert.deepEqual(json['applications'], ['fjord/oslo', 'fjord/head']);
});
