import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareGitAuth } from './credentials.js';
import { parseRepoUrl, type ParsedRepoUrl } from './repo-url.js';

function parsed(url: string): ParsedRepoUrl {
  const p = parseRepoUrl(url);
  assert.ok(p);
  return p;
}

function scratch(t: { after(fn: () => void): void }): { askpass: string; tmpRoot: string } {
  const tmpRoot = mkdtempSync(join(tmpdir(), 'fjord-creds-'));
  t.after(() => { rmSync(tmpRoot, { recursive: true, force: true }); });
  return { askpass: '/cache/bin/askpass', tmpRoot };
}

test('https: user and password go to askpass through env, the CA to a 0600 bundle, all removed on dispose', async (t) => {
  const paths = scratch(t);
  const auth = await prepareGitAuth(parsed('https://host/org/repo'), { username: 'u', password: 'p4ss', caPem: 'CA-PEM' }, paths);
  assert.equal(auth.env['GIT_ASKPASS'], '/cache/bin/askpass');
  assert.equal(auth.env['FJORD_GIT_USERNAME'], 'u');
  assert.equal(auth.env['FJORD_GIT_PASSWORD'], 'p4ss');
  const bundle = auth.env['GIT_SSL_CAINFO'] ?? '';
  assert.ok(readFileSync(bundle, 'utf8').startsWith('CA-PEM\n'), 'extra CA first, then the system roots');
  assert.equal(statSync(bundle).mode & 0o777, 0o600);
  assert.deepEqual(auth.redact, ['p4ss']);
  await auth.dispose();
  assert.equal(existsSync(bundle), false);
});

test('http(s) credentials in the URL are used when none are given; insecure skips TLS verification', async (t) => {
  const auth = await prepareGitAuth(parsed('https://me:tok@host/org/repo'), { insecure: true }, scratch(t));
  assert.equal(auth.env['FJORD_GIT_USERNAME'], 'me');
  assert.equal(auth.env['FJORD_GIT_PASSWORD'], 'tok');
  assert.equal(auth.env['GIT_SSL_NO_VERIFY'], '1');
  await auth.dispose();
  const none = await prepareGitAuth(parsed('https://host/org/repo'), {}, scratch(t));
  assert.deepEqual(none.env, {});
  await none.dispose();
});

test('ssh: key and known_hosts in 0600 files, strict host checking, no secret in GIT_SSH_COMMAND', async (t) => {
  const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----';
  const auth = await prepareGitAuth(parsed('git@host:org/repo.git'), { sshPrivateKey: key, knownHosts: 'host ssh-ed25519 AAAA' }, scratch(t));
  const cmd = auth.env['GIT_SSH_COMMAND'] ?? '';
  assert.match(cmd, /'StrictHostKeyChecking=yes'/);
  assert.match(cmd, /'IdentitiesOnly=yes'/);
  assert.match(cmd, /'BatchMode=yes'/);
  assert.ok(!cmd.includes('abc'));
  const keyFile = /'-i' '([^']+)'/.exec(cmd)?.[1] ?? '';
  assert.equal(readFileSync(keyFile, 'utf8'), `${key}\n`);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.deepEqual(auth.redact, [key]);
  await auth.dispose();
  assert.equal(existsSync(keyFile), false);
});

test('ssh: refused without known_hosts unless insecure, which turns host key checking off', async (t) => {
  await assert.rejects(prepareGitAuth(parsed('ssh://git@host/org/repo'), { sshPrivateKey: 'k' }, scratch(t)), /need knownHosts/);
  const auth = await prepareGitAuth(parsed('ssh://git@host/org/repo'), { insecure: true }, scratch(t));
  assert.match(auth.env['GIT_SSH_COMMAND'] ?? '', /'StrictHostKeyChecking=no' '-o' 'UserKnownHostsFile=\/dev\/null'/);
  assert.match(auth.env['GIT_SSH_COMMAND'] ?? '', /'IdentityFile=none'/);
  await auth.dispose();
});
