// The in-process ls-remote (protocol v2 ls-refs over HTTP) against the real Git server: the same refs
// as `git ls-remote`, the CLI path's errors, and no git process for an http(s) repository, while ssh
// and file repositories, and servers it does not understand, still go through the git CLI.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHttpBackend } from '../dev/git/cgi.js';
import { git, WorkingCopy } from '../dev/git/repos.js';
import type { KubeObject } from '../kube/client.js';
import { RevisionPoller } from '../controller/revision-poller.js';
import { defer } from '../testing/cleanup.js';
import { startGitFixture, withCredentials, type GitFixture } from '../testing/git.js';
import { silentLogger } from '../util/log.js';
import type { RepoCredentials } from './credentials.js';
import { LsRefsHttp } from './ls-refs-http.js';
import { parseLsRemote } from './refs.js';
import { RepoCache } from './repo-cache.js';
import { SourceError, type SourceFailure } from './source-error.js';

interface Setup { g: GitFixture; cache: RepoCache; trace: string; root: string; main: string }

/** org/app.git: main and feature, annotated tag v1 and lightweight v2; a cache that traces every git it runs. */
async function setup(t: TestContext): Promise<Setup> {
  const g = await startGitFixture(t);
  await g.createRepo('org/app.git');
  const wc = await WorkingCopy.clone(g.http.url('org/app.git'));
  t.after(() => { wc.remove(); });
  const first = await wc.write({ 'a.yaml': 'a: 1\n' }).commit('first');
  await git(['tag', '-a', 'v1', '-m', 'release 1'], wc.dir);
  await wc.push('main');
  await git(['push', '--quiet', 'origin', 'refs/tags/v1'], wc.dir);
  await wc.write({ 'f.yaml': 'f: 1\n' }).commit('feature work');
  await wc.push('feature');
  await git(['reset', '--quiet', '--hard', first], wc.dir);
  const main = await wc.write({ 'a.yaml': 'a: 2\n' }).commit('second');
  await wc.push('main');
  await wc.tag('v2');
  const root = mkdtempSync(join(tmpdir(), 'fjord-lsrefs-'));
  t.after(() => { rmSync(root, { recursive: true, force: true }); });
  const trace = join(root, 'git-trace.log');
  return { g, cache: new RepoCache({ root: join(root, 'cache'), traceFile: trace, allowFileUrls: true }), trace, root, main };
}

function client(t: TestContext, timeoutMs = 30_000, env: NodeJS.ProcessEnv = {}): LsRefsHttp {
  const c = new LsRefsHttp({ timeoutMs, env });
  defer(t, () => c.close());
  return c;
}

function gitLog(trace: string): string {
  return existsSync(trace) ? readFileSync(trace, 'utf8') : '';
}

async function cliRefs(g: GitFixture, url: string): Promise<Map<string, string>> {
  return parseLsRemote(await git(['ls-remote', '--', url], tmpdir(), g.clientEnv));
}

/** A loopback port nothing listens on any more. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return typeof addr === 'object' && addr ? addr.port : 0;
}

async function assertFails(p: Promise<unknown>, reason: SourceFailure, secrets: readonly string[]): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof SourceError, String(err));
    assert.equal(err.reason, reason, err.message);
    assert.match(err.message, /^git ls-remote https?:\/\/[^@\s]+: \S/, 'names the operation and the redacted URL');
    const text = `${err.message}\n${String((err.cause as Error | undefined)?.message)}\n${JSON.stringify(err.cause)}`;
    for (const s of secrets) assert.ok(!text.includes(s), `secret in error: ${text}`);
    return true;
  });
}

test('plain HTTP: the same refs as git ls-remote (HEAD, branches, peeled tags), HEAD symref, two requests, no git process', async (t) => {
  const { g, cache, trace, main } = await setup(t);
  const url = g.http.url('org/app.git');
  const before = g.http.requests.count;
  const refs = await cache.lsRemote(url);
  assert.equal(g.http.requests.count - before, 2, 'capabilities + ls-refs');
  assert.deepEqual([...refs].sort(), [...(await cliRefs(g, url))].sort());
  assert.equal(refs.get('HEAD'), main);
  assert.deepEqual([...refs.keys()].sort(), ['HEAD', 'refs/heads/feature', 'refs/heads/main', 'refs/tags/v1', 'refs/tags/v2']);
  assert.doesNotMatch(gitLog(trace), /ls-remote/, 'no git process ran for an http repository');
  const full = await client(t).refs(url);
  const symref = (await git(['ls-remote', '--symref', '--', url, 'HEAD'], tmpdir())).split('\n')[0];
  assert.equal(`ref: ${full?.find((r) => r.name === 'HEAD')?.symrefTarget ?? ''}\tHEAD`, symref);
  const v1 = full?.find((r) => r.name === 'refs/tags/v1');
  assert.notEqual(v1?.oid, v1?.peeled, 'the annotated tag object and the commit it peels to');
});

test('basic auth: right credentials (given or in the URL) work; wrong or none is "auth", no password in the error', async (t) => {
  const { g, cache, trace } = await setup(t);
  const url = g.httpAuth.url('org/app.git');
  const creds = { username: g.auth.username, password: g.auth.password };
  assert.deepEqual([...(await cache.lsRemote(url, creds))].sort(), [...(await cliRefs(g, withCredentials(url, g.auth)))].sort());
  assert.ok((await cache.lsRemote(withCredentials(url, g.auth))).has('refs/heads/main'));
  const wrong = 'wrong-Pa55word-xyz';
  await assertFails(cache.lsRemote(url, { username: g.auth.username, password: wrong }), 'auth', [wrong, g.auth.password]);
  await assertFails(cache.lsRemote(withCredentials(url, { username: g.auth.username, password: wrong })), 'auth', [wrong, g.auth.password]);
  await assertFails(cache.lsRemote(url), 'auth', [g.auth.password]);
  assert.doesNotMatch(gitLog(trace), /ls-remote/, 'answered in process, errors included');
});

test('HTTPS: the extra CA or insecure works; an untrusted CA is "tls"; a missing repository or a stopped server say so', async (t) => {
  const { g, cache, trace, main } = await setup(t);
  const url = g.https.url('org/app.git');
  const basic = { username: g.auth.username, password: g.auth.password };
  assert.equal((await cache.lsRemote(url, { ...basic, caPem: readFileSync(g.caFile, 'utf8') })).get('refs/tags/v2'), main);
  assert.equal((await cache.lsRemote(url, { ...basic, insecure: true })).get('HEAD'), main);
  await assertFails(cache.lsRemote(url, basic), 'tls', [g.auth.password]);
  await assert.rejects(cache.lsRemote(g.http.url('org/missing.git')), (err: unknown) => {
    assert.ok(err instanceof SourceError);
    assert.equal(err.reason, 'repo-not-found');
    assert.match(err.message, /^git ls-remote http:\/\/\S+\/org\/missing\.git: repository not found/);
    return true;
  });
  await assertFails(cache.lsRemote(`http://127.0.0.1:${await closedPort()}/org/app.git`), 'unreachable', []);
  assert.doesNotMatch(gitLog(trace), /ls-remote/);
});

/** A server in front of the repositories: /moved/ redirects on the same origin, /away/ to another, /v0/ drops Git-Protocol, /hang/ never answers. */
async function oddServer(t: TestContext, g: GitFixture): Promise<string> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://git.invalid');
    const [, prefix = '', ...rest] = url.pathname.split('/');
    const special = ['moved', 'away', 'hang', 'v0'].includes(prefix);
    const path = `${special ? `/${rest.join('/')}` : url.pathname}${url.search}`;
    if (prefix === 'moved') { res.writeHead(301, { location: path }).end(); return; }
    if (prefix === 'away') { res.writeHead(302, { location: `${g.http.baseUrl}${path}` }).end(); return; }
    if (prefix === 'hang') return;
    if (prefix === 'v0') delete req.headers['git-protocol'];
    runHttpBackend(req, res, new URL(path, 'http://git.invalid'), { projectRoot: g.root });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(t, () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => { resolve(); }); }));
  const addr = server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

test('same-origin redirects are followed in process; other origins, a v0 server or a proxy fall back to the git CLI', async (t) => {
  const { g, cache, trace } = await setup(t);
  const base = await oddServer(t, g);
  const expected = [...(await cliRefs(g, g.http.url('org/app.git')))].sort();
  const c = client(t);
  assert.deepEqual([...(await c.lsRemote(`${base}/moved/org/app.git`) ?? [])].sort(), expected);
  assert.equal(await c.lsRemote(`${base}/away/org/app.git`), undefined, 'cross-origin redirect: git decides');
  assert.equal(await c.lsRemote(`${base}/v0/org/app.git`), undefined, 'protocol v0: git decides');
  assert.equal(await client(t, 30_000, { HTTPS_PROXY: 'http://127.0.0.1:9' }).lsRemote(g.http.url('org/app.git')), undefined);
  assert.equal(await c.lsRemote(g.ssh.url('org/app.git')), undefined, 'ssh is not HTTP');
  assert.doesNotMatch(gitLog(trace), /ls-remote/);
  assert.deepEqual([...(await cache.lsRemote(`${base}/v0/org/app.git`))].sort(), expected, 'the fallback gives the same answer');
  assert.match(gitLog(trace), /git ls-remote -- http:\/\/127\.0\.0\.1:\d+\/v0\/org\/app\.git/);
  await assertFails(client(t, 300).lsRemote(`${base}/hang/org/app.git`), 'timeout', []);
});

test('the revision poller spawns no git for an HTTP repository; ssh and file repositories still use the CLI', async (t) => {
  const { g, cache, trace, main } = await setup(t);
  const sshCreds: RepoCredentials = { sshPrivateKey: readFileSync(g.sshKey.privateKeyPath, 'utf8'), knownHosts: `${g.ssh.knownHostsLine()}\n` };
  const urls = { http: g.http.url('org/app.git'), ssh: g.ssh.url('org/app.git'), file: `file://${join(g.root, 'org', 'app.git')}` };
  const apps: KubeObject[] = Object.entries(urls).map(([name, repoURL]) => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { namespace: 'fjord', name },
    spec: { source: { repoURL, targetRevision: 'main' } },
  }));
  const woken: string[] = [];
  const poller = new RevisionPoller({
    repos: cache, intervalMs: 60_000, apps: () => apps, log: silentLogger,
    credentials: (url) => (url === urls.ssh ? sshCreds : undefined), enqueue: (key) => { woken.push(key); },
  });
  await poller.pollOnce();
  assert.deepEqual(woken.sort(), ['fjord/file', 'fjord/http', 'fjord/ssh'], 'every repository answered: its Application is woken');
  for (const url of Object.values(urls)) assert.equal(poller.knownRefs(url)?.get('refs/heads/main'), main, url);
  const log = gitLog(trace);
  assert.match(log, /git ls-remote -- git@/, 'ssh through the CLI');
  assert.match(log, /git ls-remote -- file:\/\//, 'file through the CLI');
  assert.doesNotMatch(log, /ls-remote -- http/, 'no git process for the HTTP repository');
});
