// Webhook secrets come from Secret fjord-webhook (or argocd-secret's webhook.* keys in compat mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARGOCD, FJORD } from '../../api/flavor.js';
import { webhookSecretName, webhookSecretsFrom } from './secrets.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

test('fjord-webhook: one key per provider; Gitea falls back to the Gogs secret', () => {
  assert.equal(webhookSecretName(FJORD), 'fjord-webhook');
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fjord-webhook' }, data: {
    'github.secret': b64('gh\n'), 'gitlab.secret': b64('gl'), 'bitbucket.uuid': b64('{uuid}'), 'bitbucket.secret': b64('bbc'), 'bitbucketserver.secret': b64('bbs'),
    'gogs.secret': b64('gogs'), 'generic.secret': b64('gen'), 'webhook.github.secret': b64('ignored-in-fjord-mode'),
  } };
  assert.deepEqual(webhookSecretsFrom(secret, FJORD), { github: 'gh', gitlab: 'gl', bitbucketUuid: '{uuid}', bitbucket: 'bbc', bitbucketServer: 'bbs', gitea: 'gogs', gogs: 'gogs', generic: 'gen' });
  assert.deepEqual(webhookSecretsFrom({ ...secret, data: { 'gitea.secret': b64('tea'), 'github.secret': b64('') } }, FJORD), { gitea: 'tea' });
});

test('argocd-secret: Argo CD\'s webhook.* keys; empty or absent means unsigned hooks are accepted', () => {
  assert.equal(webhookSecretName(ARGOCD), 'argocd-secret');
  const secret = { data: { 'webhook.github.secret': b64('gh'), 'webhook.gogs.secret': b64('gogs'), 'admin.password': b64('not-a-webhook-key'), 'github.secret': b64('ignored') } };
  assert.deepEqual(webhookSecretsFrom(secret, ARGOCD), { github: 'gh', gitea: 'gogs', gogs: 'gogs' });
  assert.deepEqual(webhookSecretsFrom(undefined, ARGOCD), {});
  assert.deepEqual(webhookSecretsFrom({ stringData: { 'webhook.gitlab.secret': 'gl' } }, ARGOCD), { gitlab: 'gl' });
});
