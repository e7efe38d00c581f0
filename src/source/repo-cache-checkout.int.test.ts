// Checkouts: the exact tree of each commit, extracted once, fetched only when the commit is new.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, WorkingCopy } from '../dev/git/repos.js';
import { startGitFixture } from '../testing/git.js';
import { RepoCache } from './repo-cache.js';
import { SourceError } from './source-error.js';

function newCache(t: TestContext): { cache: RepoCache; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'fjord-repocache-'));
  t.after(() => { rmSync(root, { recursive: true, force: true }); });
  return { cache: new RepoCache({ root }), root };
}

async function repoWithCommits(t: TestContext, name: string): Promise<{ g: Awaited<ReturnType<typeof startGitFixture>>; url: string; wc: WorkingCopy }> {
  const g = await startGitFixture(t);
  await g.createRepo(name);
  const url = g.http.url(name);
  const wc = await WorkingCopy.clone(url);
  t.after(() => { wc.remove(); });
  return { g, url, wc };
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

test('checkout returns the files of exactly that commit, with its author, date and message', async (t) => {
  const { url, wc } = await repoWithCommits(t, 'org/app.git');
  const one = await wc.write({ 'app/deploy.yaml': 'replicas: 1\n', 'README.md': 'hi\n' }).commit('first\n\nwith a body');
  await wc.push();
  rmSync(join(wc.dir, 'README.md'));
  const two = await wc.write({ 'app/deploy.yaml': 'replicas: 2\n', 'app/svc.yaml': 'kind: Service\n' }).commit('second');
  await wc.push();
  const { cache, root } = newCache(t);
  const c1 = await cache.checkout(url, one);
  const c2 = await cache.checkout(url, two);
  assert.deepEqual(files(c1.dir), ['README.md', 'app', 'app/deploy.yaml']);
  assert.equal(readFileSync(join(c1.dir, 'app/deploy.yaml'), 'utf8'), 'replicas: 1\n');
  assert.deepEqual(files(c2.dir), ['app', 'app/deploy.yaml', 'app/svc.yaml']);
  assert.equal(readFileSync(join(c2.dir, 'app/deploy.yaml'), 'utf8'), 'replicas: 2\n');
  assert.ok(c1.dir.startsWith(join(root, 'trees')) && c1.dir.endsWith(one));
  assert.equal(c1.commit.sha, one);
  assert.equal(c1.commit.author, 'Fjord Test <test@fjord.invalid>');
  assert.equal(c1.commit.message, 'first\n\nwith a body');
  assert.ok(!Number.isNaN(Date.parse(c1.commit.date)) && /^\d{4}-\d\d-\d\dT/.test(c1.commit.date));
  assert.deepEqual(await cache.commitInfo(url, two), c2.commit);
  assert.equal(statSync(join(c2.dir, 'app/svc.yaml')).mode & 0o222, 0, 'files are read-only');
});

test('checkout twice, or concurrently, reuses one extraction; the same repository spelled differently too', async (t) => {
  const { url, wc } = await repoWithCommits(t, 'org/app.git');
  const sha = await wc.write({ 'a.yaml': 'a\n' }).commit('a');
  await wc.push();
  const { cache, root } = newCache(t);
  const results = await Promise.all([cache.checkout(url, sha), cache.checkout(url, sha), cache.checkout(`${url}/`, sha)]);
  assert.equal(new Set(results.map((r) => r.dir)).size, 1);
  const dir = results[0].dir;
  const inode = statSync(dir).ino;
  const again = await cache.checkout(url.replace(/\.git$/, ''), sha);
  assert.equal(again.dir, dir);
  assert.equal(statSync(dir).ino, inode, 'not extracted again');
  const siblings = readdirSync(join(dir, '..'));
  assert.deepEqual(siblings, [sha], 'no temp folders left behind');
  assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'no credential or index files left behind');
});

test('checkout fetches only when the commit is missing from the bare clone', async (t) => {
  const { g, url, wc } = await repoWithCommits(t, 'org/app.git');
  const one = await wc.write({ 'a.yaml': '1\n' }).commit('one');
  const two = await wc.write({ 'a.yaml': '2\n' }).commit('two');
  await wc.push();
  const { cache } = newCache(t);
  let before = g.http.requests.count;
  await cache.checkout(url, two);
  assert.ok(g.http.requests.count > before, 'first checkout fetches');
  before = g.http.requests.count;
  await cache.checkout(url, two);
  await cache.checkout(url, one);
  await cache.commitInfo(url, one);
  assert.equal(g.http.requests.count, before, 'commit one came with the first fetch; no request at all');
  const three = await wc.write({ 'a.yaml': '3\n' }).commit('three');
  await wc.push();
  await cache.checkout(url, three);
  assert.ok(g.http.requests.count > before, 'a new commit is fetched');
  assert.equal(readFileSync(join((await cache.checkout(url, three)).dir, 'a.yaml'), 'utf8'), '3\n');
});

test('a commit the server does not have is "not found", and commitInfo needs a cached commit', async (t) => {
  const { url, wc } = await repoWithCommits(t, 'org/app.git');
  await wc.write({ 'a.yaml': '1\n' }).commit('one');
  await wc.push();
  const { cache } = newCache(t);
  const ghost = 'f'.repeat(40);
  await assert.rejects(cache.checkout(url, ghost), (err: unknown) => {
    assert.ok(err instanceof SourceError);
    assert.equal(err.reason, 'revision-not-found');
    assert.equal(err.message, `revision ${ghost} not found in ${url}`);
    return true;
  });
  await assert.rejects(cache.commitInfo(url, ghost), /is not in the cache/);
  await assert.rejects(cache.checkout(url, 'main'), /needs a full commit sha/);
});

test('a symlink pointing outside the repository stays a symlink (the renderer refuses to follow it)', async (t) => {
  const { url, wc } = await repoWithCommits(t, 'org/links.git');
  wc.write({ 'app/real.yaml': 'kind: ConfigMap\n' });
  symlinkSync('../../../../etc/passwd', join(wc.dir, 'app/escape.yaml'));
  symlinkSync('real.yaml', join(wc.dir, 'app/inside.yaml'));
  const sha = await wc.commit('links');
  await wc.push();
  const { cache } = newCache(t);
  const { dir } = await cache.checkout(url, sha);
  const escape = join(dir, 'app/escape.yaml');
  assert.ok(lstatSync(escape).isSymbolicLink());
  assert.equal(readlinkSync(escape), '../../../../etc/passwd');
  assert.ok(lstatSync(join(dir, 'app/inside.yaml')).isSymbolicLink());
  assert.ok(lstatSync(join(dir, 'app/real.yaml')).isFile());
});

test('concurrent checkouts of one new repository share one bare clone; other repositories run alongside', async (t) => {
  const { g, url, wc } = await repoWithCommits(t, 'org/one.git');
  const a = await wc.write({ 'x.yaml': 'a\n' }).commit('a');
  const b = await wc.write({ 'x.yaml': 'b\n' }).commit('b');
  await wc.push();
  await g.createRepo('org/two.git');
  const other = await WorkingCopy.clone(g.http.url('org/two.git'));
  t.after(() => { other.remove(); });
  const c = await other.write({ 'y.yaml': 'c\n' }).commit('c');
  await other.push();
  const { cache, root } = newCache(t);
  const got = await Promise.all([cache.checkout(url, a), cache.checkout(url, b), cache.checkout(g.http.url('org/two.git'), c)]);
  assert.deepEqual(got.map((r) => r.commit.message), ['a', 'b', 'c']);
  assert.equal(readdirSync(join(root, 'repos')).length, 2);
});

test('a commit only reachable from a non-branch ref (refs/pull/1/head) is fetched by its sha', async (t) => {
  const { url, wc } = await repoWithCommits(t, 'org/pr.git');
  await wc.write({ 'x.yaml': 'main\n' }).commit('main');
  await wc.push();
  const pr = await wc.write({ 'x.yaml': 'pr\n' }).commit('pull request');
  await git(['push', '--quiet', 'origin', 'HEAD:refs/pull/1/head'], wc.dir);
  const { cache } = newCache(t);
  assert.equal(await cache.resolveRevision(url, 'refs/pull/1/head'), pr);
  assert.equal(readFileSync(join((await cache.checkout(url, pr)).dir, 'x.yaml'), 'utf8'), 'pr\n');
});

/** A cache on a fresh folder whose clock the test moves. */
function clockedCache(t: TestContext): { cache: RepoCache; root: string; clock: { now: number } } {
  const root = mkdtempSync(join(tmpdir(), 'fjord-repocache-'));
  t.after(() => { rmSync(root, { recursive: true, force: true }); });
  const clock = { now: Date.now() };
  return { cache: new RepoCache({ root, now: () => clock.now }), root, clock };
}

test('pruneTrees deletes the trees nobody asked for within the window, and a pruned commit is extracted again', async (t) => {
  const { url, wc } = await repoWithCommits(t, 'org/prune.git');
  const old = await wc.write({ 'x.yaml': 'old\n' }).commit('old');
  const current = await wc.write({ 'x.yaml': 'current\n' }).commit('current');
  await wc.push();
  const { cache, root, clock } = clockedCache(t);
  const oldDir = (await cache.checkout(url, old)).dir;
  clock.now += 50 * 60_000;
  const currentDir = (await cache.checkout(url, current)).dir;
  const [key = ''] = readdirSync(join(root, 'trees'));
  mkdirSync(join(root, 'trees', key, '.tmp-interrupted'));
  clock.now += 20 * 60_000;

  assert.equal(await cache.pruneTrees(60 * 60_000), 1, 'the tree last asked for 70 minutes ago goes');
  assert.deepEqual(readdirSync(join(root, 'trees', key)), [current], 'the one asked for 20 minutes ago stays; leftovers go');
  assert.equal(readFileSync(join(currentDir, 'x.yaml'), 'utf8'), 'current\n');

  const again = await cache.checkout(url, old);
  assert.equal(again.dir, oldDir);
  assert.equal(readFileSync(join(again.dir, 'x.yaml'), 'utf8'), 'old\n', 'extracted again from the bare clone');
  assert.equal(await cache.pruneTrees(60 * 60_000), 0, 'both were asked for within the hour');

  // A new process knows nothing of earlier use: a tree counts from its extraction.
  const restarted = new RepoCache({ root, now: () => Date.now() });
  assert.equal(await restarted.pruneTrees(60 * 60_000), 0, 'trees extracted a moment ago stay');
  const later = new RepoCache({ root, now: () => Date.now() + 2 * 60 * 60_000 });
  assert.equal(await later.pruneTrees(60 * 60_000), 2);
  assert.deepEqual(readdirSync(join(root, 'trees', key)), []);
});

test('a checkout racing pruneTrees gets a complete tree', async (t) => {
  const { url, wc } = await repoWithCommits(t, 'org/race.git');
  const files = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`app/cm-${i}.yaml`, `n: ${i}\n`]));
  const sha = await wc.write(files).commit('200 files');
  await wc.push();
  const { cache, clock } = clockedCache(t);
  const dir = (await cache.checkout(url, sha)).dir;
  const known = (cache as unknown as { trees: Map<string, number> }).trees;
  for (let round = 0; round < 8; round++) {
    clock.now += 2 * 60 * 60_000;
    const pruning = cache.pruneTrees(60 * 60_000);
    // The narrowest window: the prune has just decided to delete the tree, and the checkout comes now.
    while (known.has(dir)) await new Promise((resolve) => setImmediate(resolve));
    const got = await cache.checkout(url, sha);
    assert.equal(await pruning, 1, `round ${round}: the prune removed the old tree`);
    assert.equal(readdirSync(join(got.dir, 'app')).length, 200, `round ${round}: the checkout's tree is complete after the prune`);
  }
});
