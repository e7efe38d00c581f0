// Credentials against the real Git server: HTTP basic auth, HTTPS with an extra CA or insecure, SSH
// with a key and known_hosts. Secrets never show up in errors or in the argv of git or ssh.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkingCopy } from '../dev/git/repos.js';
import { generateSshKey } from '../dev/git/ssh-server.js';
import { startGitFixture, withCredentials, type GitFixture } from '../testing/git.js';
import type { RepoCredentials } from './credentials.js';
import { RepoCache } from './repo-cache.js';
import { SourceError, type SourceFailure } from './source-error.js';

interface Setup { g: GitFixture; cache: RepoCache; root: string; trace: string; sha: string }

async function setup(t: TestContext): Promise<Setup> {
  const g = await startGitFixture(t);
  await g.createRepo('org/locked.git');
  const wc = await WorkingCopy.clone(g.http.url('org/locked.git'));
  t.after(() => { wc.remove(); });
  const sha = await wc.write({ 'deploy.yaml': 'kind: Deployment\n' }).commit('first');
  await wc.push();
  const root = mkdtempSync(join(tmpdir(), 'fjord-repocache-'));
  t.after(() => { rmSync(root, { recursive: true, force: true }); });
  const trace = join(root, 'git-trace.log');
  return { g, cache: new RepoCache({ root: join(root, 'cache'), traceFile: trace }), root, trace, sha };
}

async function assertFails(p: Promise<unknown>, reason: SourceFailure, secrets: readonly string[]): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof SourceError, String(err));
    assert.equal(err.reason, reason, err.message);
    assert.match(err.message, /^git ls-remote (https?:\/\/[^@\s]+|git@\S+): \S/, 'names the operation and the redacted URL');
    const text = `${err.message}\n${String((err.cause as Error | undefined)?.message)}\n${JSON.stringify(err.cause)}`;
    for (const s of secrets) assert.ok(!text.includes(s), `secret in error: ${text}`);
    return true;
  });
}

function sshCreds(g: GitFixture, extra: RepoCredentials = {}): RepoCredentials {
  return { sshPrivateKey: readFileSync(g.sshKey.privateKeyPath, 'utf8'), knownHosts: `${g.ssh.knownHostsLine()}\n`, ...extra };
}

test('HTTP basic auth: right password works; wrong or missing password is "auth" and never printed', async (t) => {
  const { g, cache, sha } = await setup(t);
  const url = g.httpAuth.url('org/locked.git');
  const creds = { username: g.auth.username, password: g.auth.password };
  assert.equal((await cache.lsRemote(url, creds)).get('refs/heads/main'), sha);
  assert.equal(readFileSync(join((await cache.checkout(url, sha, creds)).dir, 'deploy.yaml'), 'utf8'), 'kind: Deployment\n');
  const wrong = 'wrong-Pa55word-xyz';
  await assertFails(cache.lsRemote(url, { username: g.auth.username, password: wrong }), 'auth', [wrong, g.auth.password]);
  await assertFails(cache.lsRemote(url), 'auth', [g.auth.password]);
  const inUrl = withCredentials(url, { username: g.auth.username, password: wrong });
  await assertFails(cache.resolveRevision(inUrl, 'main'), 'auth', [wrong]);
  assert.equal(await cache.resolveRevision(withCredentials(url, g.auth), 'main'), sha, 'user:password in the URL are used, via askpass');
});

test('HTTPS: the extra CA is trusted, insecure skips verification, an unknown CA is a TLS error', async (t) => {
  const { g, cache, sha } = await setup(t);
  const url = g.https.url('org/locked.git');
  const basic = { username: g.auth.username, password: g.auth.password };
  assert.equal((await cache.lsRemote(url, { ...basic, caPem: readFileSync(g.caFile, 'utf8') })).get('HEAD'), sha);
  assert.equal((await cache.checkout(url, sha, { ...basic, insecure: true })).commit.sha, sha);
  await assertFails(cache.lsRemote(url, basic), 'tls', [g.auth.password]);
});

test('SSH with key and known_hosts on an scp-like git@127.x.y.z:org/repo.git URL', async (t) => {
  const { g, cache, root, sha } = await setup(t);
  const url = g.ssh.url('org/locked.git');
  assert.equal((await cache.resolveRevision(url, 'main', sshCreds(g))), sha);
  const { dir } = await cache.checkout(url, sha, sshCreds(g));
  assert.equal(readFileSync(join(dir, 'deploy.yaml'), 'utf8'), 'kind: Deployment\n');
  assert.deepEqual(readdirSync(join(root, 'cache', 'tmp')), [], 'key and known_hosts files are removed');
  assert.equal((await cache.lsRemote(url, { sshPrivateKey: sshCreds(g).sshPrivateKey ?? '', insecure: true })).get('HEAD'), sha);
});

test('SSH: a wrong key is "auth", a missing or wrong known_hosts is "host-key"', async (t) => {
  const { g, cache } = await setup(t);
  const url = g.ssh.url('org/locked.git');
  const keys = mkdtempSync(join(tmpdir(), 'fjord-otherkey-'));
  t.after(() => { rmSync(keys, { recursive: true, force: true }); });
  const stranger = await generateSshKey(keys, 'stranger');
  const strangerKey = readFileSync(stranger.privateKeyPath, 'utf8');
  await assertFails(cache.lsRemote(url, sshCreds(g, { sshPrivateKey: strangerKey })), 'auth', [strangerKey.trim()]);
  await assertFails(cache.lsRemote(url, { sshPrivateKey: sshCreds(g).sshPrivateKey ?? '' }), 'host-key', []);
  const otherHost = `${g.ssh.knownHostsLine().split(' ')[0] ?? ''} ${stranger.publicKey.split(' ').slice(0, 2).join(' ')}`;
  await assertFails(cache.lsRemote(url, sshCreds(g, { knownHosts: otherHost })), 'host-key', []);
});

test('no password, token or key in any argv: GIT_TRACE lists every command git runs', async (t) => {
  const { g, cache, trace, sha } = await setup(t);
  const key = sshCreds(g).sshPrivateKey ?? '';
  const keyBody = key.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  await cache.lsRemote(g.httpAuth.url('org/locked.git'), { username: g.auth.username, password: g.auth.password });
  await cache.checkout(withCredentials(g.httpAuth.url('org/locked.git'), g.auth), sha);
  await cache.checkout(g.ssh.url('org/locked.git'), sha, sshCreds(g));
  await cache.resolveRevision(g.https.url('org/locked.git'), 'main', { ...g.auth, insecure: true });
  const log = readFileSync(trace, 'utf8');
  assert.match(log, /trace: built-in: git fetch .* -- http/, 'ls-remote of http(s) runs in process; fetch still runs git');
  assert.match(log, /trace: built-in: git fetch .* -- git@/);
  assert.match(log, /run_command: .*ssh/, 'the ssh command line is traced too');
  assert.match(log, /askpass/, 'git asked the askpass helper');
  assert.ok(!log.includes(g.auth.password), 'password absent from every traced argv');
  for (const line of keyBody) assert.ok(!log.includes(line), 'ssh key absent from every traced argv');
});
