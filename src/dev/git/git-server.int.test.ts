// The test Git server is a real one: the git CLI clones, pushes and runs ls-remote against it over
// plain HTTP, HTTP with basic auth, HTTPS with its own CA, and SSH with key authentication.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../exec/exec.js';
import { startGitFixture, withCredentials } from '../../testing/git.js';
import { generateSshKey } from './ssh-server.js';
import { git, WorkingCopy } from './repos.js';

async function lsRemoteMain(url: string, env: NodeJS.ProcessEnv): Promise<string> {
  const out = await git(['ls-remote', url, 'refs/heads/main'], tmpdir(), env);
  return out.split('\t')[0] ?? '';
}

test('push over plain HTTP, then clone and ls-remote over HTTP, HTTPS and SSH see the same commit', async (t) => {
  const g = await startGitFixture(t);
  await g.createRepo('org/app.git');
  const wc = await WorkingCopy.clone(g.http.url('org/app.git'));
  t.after(() => { wc.remove(); });
  const sha = await wc.write({ 'deploy.yaml': 'kind: ConfigMap\n' }).commit('first');
  await wc.push();
  assert.equal(await lsRemoteMain(g.http.url('org/app.git'), {}), sha);
  assert.equal(await lsRemoteMain(withCredentials(g.httpAuth.url('org/app.git'), g.auth), {}), sha);
  assert.equal(await lsRemoteMain(withCredentials(g.https.url('org/app.git'), g.auth), g.clientEnv), sha);
  assert.equal(await lsRemoteMain(g.ssh.url('org/app.git'), g.clientEnv), sha);
  const ssh = await WorkingCopy.clone(g.ssh.url('org/app.git'), g.clientEnv);
  t.after(() => { ssh.remove(); });
  const sha2 = await ssh.write({ 'more.yaml': 'kind: Secret\n' }).commit('second, over ssh');
  await ssh.push();
  assert.equal(await lsRemoteMain(g.http.url('org/app.git'), {}), sha2, 'a push over SSH is visible over HTTP');
});

test('the SSH server takes scp-style git@host:org/repo.git URLs on port 22 of a loopback address', async (t) => {
  const g = await startGitFixture(t);
  await g.createRepo('org/scp.git');
  assert.equal(g.ssh.port, 22, 'port 22 on a 127.x.y.z address was free');
  assert.match(g.ssh.url('org/scp.git'), /^git@127\.\d+\.\d+\.\d+:org\/scp\.git$/);
  const wc = await WorkingCopy.clone(g.ssh.url('org/scp.git'), g.clientEnv);
  t.after(() => { wc.remove(); });
  await wc.write({ 'a.txt': 'a' }).commit('a');
  await wc.push();
  assert.match(await lsRemoteMain(g.ssh.url('org/scp.git'), g.clientEnv), /^[0-9a-f]{40}$/);
});

test('wrong credentials are refused: HTTP password, missing password, untrusted CA, unknown SSH key', async (t) => {
  const g = await startGitFixture(t);
  await g.createRepo('org/locked.git');
  const bad = withCredentials(g.httpAuth.url('org/locked.git'), { username: g.auth.username, password: 'wrong' });
  await assert.rejects(lsRemoteMain(bad, {}), /Authentication failed|401/);
  await assert.rejects(lsRemoteMain(g.httpAuth.url('org/locked.git'), {}), /could not read Username|terminal prompts disabled|401/);
  await assert.rejects(lsRemoteMain(withCredentials(g.https.url('org/locked.git'), g.auth), {}), /certificate|SSL/i);
  const keys = mkdtempSync(join(tmpdir(), 'fjord-otherkey-'));
  t.after(() => { rmSync(keys, { recursive: true, force: true }); });
  const stranger = await generateSshKey(keys, 'stranger');
  const env = { GIT_SSH_COMMAND: g.ssh.sshCommand(stranger.privateKeyPath, g.knownHostsFile) };
  await assert.rejects(lsRemoteMain(g.ssh.url('org/locked.git'), env), /Permission denied/);
});

test('the HTTP server counts requests, so tests can assert how often a repository was asked', async (t) => {
  const g = await startGitFixture(t);
  await g.createRepo('org/count.git');
  const before = g.http.requests.count;
  await exec('git', ['ls-remote', g.http.url('org/count.git')], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  assert.ok(g.http.requests.count > before);
});
