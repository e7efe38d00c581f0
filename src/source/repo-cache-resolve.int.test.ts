// ls-remote and revision resolution against a real Git server over HTTP.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, WorkingCopy } from '../dev/git/repos.js';
import { startGitFixture, type GitFixture } from '../testing/git.js';
import { RepoCache } from './repo-cache.js';
import { SourceError } from './source-error.js';

function newCache(t: TestContext): RepoCache {
  const root = mkdtempSync(join(tmpdir(), 'fjord-repocache-'));
  t.after(() => { rmSync(root, { recursive: true, force: true }); });
  return new RepoCache({ root });
}

interface History { url: string; first: string; second: string; feature: string }

/** main: first ← second (tag v1 annotated on first, v2 lightweight on second); feature branches off first. */
async function pushHistory(t: TestContext, g: GitFixture): Promise<History> {
  await g.createRepo('org/app.git');
  const url = g.http.url('org/app.git');
  const wc = await WorkingCopy.clone(url);
  t.after(() => { wc.remove(); });
  const first = await wc.write({ 'a.yaml': 'a: 1\n' }).commit('first');
  await git(['tag', '-a', 'v1', '-m', 'release 1'], wc.dir);
  await git(['push', '--quiet', 'origin', 'refs/tags/v1'], wc.dir);
  await wc.push('main');
  const feature = await wc.write({ 'f.yaml': 'f: 1\n' }).commit('feature work');
  await wc.push('feature');
  await git(['reset', '--quiet', '--hard', first], wc.dir);
  const second = await wc.write({ 'a.yaml': 'a: 2\n' }).commit('second');
  await wc.push('main');
  await wc.tag('v2');
  return { url, first, second, feature };
}

test('lsRemote lists HEAD, branches and tags, annotated tags peeled to their commit', async (t) => {
  const g = await startGitFixture(t);
  const h = await pushHistory(t, g);
  const before = g.http.requests.count;
  const refs = await newCache(t).lsRemote(h.url);
  assert.ok(g.http.requests.count - before <= 2, 'one ls-remote (v2 protocol: capabilities + ls-refs)');
  assert.equal(refs.get('HEAD'), h.second);
  assert.equal(refs.get('refs/heads/main'), h.second);
  assert.equal(refs.get('refs/heads/feature'), h.feature);
  assert.equal(refs.get('refs/tags/v1'), h.first, 'annotated tag → its commit, not the tag object');
  assert.equal(refs.get('refs/tags/v2'), h.second);
  assert.equal([...refs.keys()].some((k) => k.endsWith('^{}')), false);
});

test('resolveRevision: HEAD, branch, tag, refs/…, full sha, short sha', async (t) => {
  const g = await startGitFixture(t);
  const h = await pushHistory(t, g);
  const cache = newCache(t);
  assert.equal(await cache.resolveRevision(h.url, ''), h.second);
  assert.equal(await cache.resolveRevision(h.url, 'HEAD'), h.second);
  assert.equal(await cache.resolveRevision(h.url, 'main'), h.second);
  assert.equal(await cache.resolveRevision(h.url, 'feature'), h.feature);
  assert.equal(await cache.resolveRevision(h.url, 'v1'), h.first);
  assert.equal(await cache.resolveRevision(h.url, 'refs/tags/v1'), h.first);
  assert.equal(await cache.resolveRevision(h.url, 'refs/heads/feature'), h.feature);
  assert.equal(await cache.resolveRevision(h.url, h.first.toUpperCase()), h.first);
  assert.equal(await cache.resolveRevision(h.url, h.first.slice(0, 7)), h.first, 'short sha after a fetch');
  assert.equal(await cache.resolveRevision(h.url, h.feature.slice(0, 10)), h.feature);
});

test('resolveRevision reuses refs it is given and makes no request for a full sha', async (t) => {
  const g = await startGitFixture(t);
  const h = await pushHistory(t, g);
  const cache = newCache(t);
  const refs = await cache.lsRemote(h.url);
  const before = g.http.requests.count;
  assert.equal(await cache.resolveRevision(h.url, 'main', {}, refs), h.second);
  assert.equal(await cache.resolveRevision(h.url, 'v1', {}, refs), h.first);
  assert.equal(await cache.resolveRevision(h.url, h.feature), h.feature);
  assert.equal(g.http.requests.count, before);
});

test('resolveRevision of a missing branch, tag or short sha names the revision and the redacted URL', async (t) => {
  const g = await startGitFixture(t);
  const h = await pushHistory(t, g);
  const cache = newCache(t);
  for (const rev of ['nope', 'refs/heads/nope', 'deadbee']) {
    await assert.rejects(cache.resolveRevision(h.url, rev), (err: unknown) => {
      assert.ok(err instanceof SourceError);
      assert.equal(err.reason, 'revision-not-found');
      assert.equal(err.message, `revision ${rev} not found in ${h.url}`);
      return true;
    });
  }
  const withUser = h.url.replace('http://', 'http://someone:pw-in-url@');
  await assert.rejects(cache.resolveRevision(withUser, 'nope'), (err: Error) => err.message === `revision nope not found in ${h.url}`);
});

test('an empty repository has no HEAD to resolve; a missing repository says so', async (t) => {
  const g = await startGitFixture(t);
  await g.createRepo('org/empty.git');
  const cache = newCache(t);
  await assert.rejects(cache.resolveRevision(g.http.url('org/empty.git'), 'HEAD'), /revision HEAD not found in http:\/\/.*org\/empty\.git/);
  await assert.rejects(cache.lsRemote(g.http.url('org/missing.git')), (err: unknown) => {
    assert.ok(err instanceof SourceError);
    assert.equal(err.reason, 'repo-not-found');
    assert.match(err.message, /^git ls-remote http:\/\/\S+\/org\/missing\.git: repository not found/);
    return true;
  });
});
