import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKubeconfig, renderKubeconfig } from './kubeconfig.js';

test('a rendered kubeconfig parses back to the same server, CA and token', () => {
  const text = renderKubeconfig({ name: 'dev', server: 'https://127.0.0.1:6443', caPem: 'PEM', token: 'abc' });
  const access = parseKubeconfig(text, '/x/config');
  assert.deepEqual(access, { server: 'https://127.0.0.1:6443', caPem: 'PEM', token: 'abc', insecureSkipTlsVerify: false });
});

test('file references are read relative to the kubeconfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-kc-'));
  writeFileSync(join(dir, 'ca.crt'), 'CA');
  writeFileSync(join(dir, 'token'), 'tok\n');
  const text = `
clusters: [{name: c, cluster: {server: "https://h:1/", certificate-authority: ca.crt}}]
users: [{name: u, user: {tokenFile: token}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
  const access = parseKubeconfig(text, join(dir, 'config'));
  assert.equal(access.caPem, 'CA');
  assert.equal(access.token, 'tok');
  assert.equal(access.server, 'https://h:1');
});

test('a missing context names the file and the context', () => {
  assert.throws(() => parseKubeconfig('contexts: []\ncurrent-context: nope\n', '/k/config'), /kubeconfig \/k\/config: context "nope" not found/);
});
