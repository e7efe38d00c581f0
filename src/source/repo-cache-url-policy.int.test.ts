// Which transports reach git: file:// only when allowed, never ext:: or option-like URLs, enforced
// both before git runs (validation) and by git itself (protocol allow-list) in case validation slips.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecError } from '../exec/exec.js';
import { WorkingCopy } from '../dev/git/repos.js';
import { startGitFixture } from '../testing/git.js';
import { GitRunner } from './git-cli.js';
import { RepoCache } from './repo-cache.js';
import { SourceError } from './source-error.js';

function scratch(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-urlpolicy-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

async function fileRepo(t: TestContext): Promise<{ url: string; sha: string }> {
  const g = await startGitFixture(t);
  const bare = await g.createRepo('org/local.git');
  const wc = await WorkingCopy.clone(g.http.url('org/local.git'));
  t.after(() => { wc.remove(); });
  const sha = await wc.write({ 'a.yaml': 'a: 1\n' }).commit('one');
  await wc.push();
  return { url: `file://${bare}`, sha };
}

test('file:// is refused unless allowFileUrls, before git runs', async (t) => {
  const { url, sha } = await fileRepo(t);
  const dir = scratch(t);
  const trace = join(dir, 'trace.log');
  const strict = new RepoCache({ root: join(dir, 'strict'), traceFile: trace });
  await assert.rejects(strict.lsRemote(url), (err: unknown) => {
    assert.ok(err instanceof SourceError);
    assert.equal(err.reason, 'invalid-url');
    assert.match(err.message, /^invalid repository URL "file:\/\/.*": file:\/\/ URLs are not allowed$/);
    return true;
  });
  await assert.rejects(strict.checkout(url, sha), /file:\/\/ URLs are not allowed/);
  assert.equal(existsSync(trace), false, 'git never ran');
  const lenient = new RepoCache({ root: join(dir, 'lenient'), allowFileUrls: true });
  assert.equal((await lenient.lsRemote(url)).get('refs/heads/main'), sha);
  assert.equal(readFileSync(join((await lenient.checkout(url, sha)).dir, 'a.yaml'), 'utf8'), 'a: 1\n');
});

test('ext::, other transports and option-like URLs are refused with the reason', async (t) => {
  const dir = scratch(t);
  const marker = join(dir, 'pwned');
  const cache = new RepoCache({ root: join(dir, 'cache'), allowFileUrls: true });
  const refused: readonly (readonly [string, RegExp])[] = [
    [`ext::touch ${marker}`, /whitespace or control characters/],
    ['ext::sh', /transport helpers .* are not allowed/],
    ['git://127.0.0.1/org/repo.git', /the git:\/\/ transport is not allowed/],
    [`-oProxyCommand=touch:${marker}`, /starts with '-'/],
    ['--upload-pack=touch:x', /starts with '-'/],
    ['ssh://-oProxyCommand=x/org/repo', /starts with '-'/],
  ];
  for (const [url, reason] of refused) {
    await assert.rejects(cache.lsRemote(url), (err: unknown) => {
      assert.ok(err instanceof SourceError && err.reason === 'invalid-url', String(err));
      assert.match(err.message, reason);
      return true;
    }, url);
  }
  assert.equal(existsSync(marker), false);
});

test('git itself refuses ext:: and, unless allowed, file:// (defence behind validation)', async (t) => {
  const { url } = await fileRepo(t);
  const dir = scratch(t);
  const marker = join(dir, 'pwned');
  const strict = new GitRunner({ home: dir, allowFileUrls: false, timeoutMs: 10_000 });
  const lenient = new GitRunner({ home: dir, allowFileUrls: true, timeoutMs: 10_000 });
  for (const git of [strict, lenient]) {
    await assert.rejects(git.run(['ls-remote', `ext::sh -c touch% ${marker}`], { cwd: dir }), (err: unknown) => {
      assert.ok(err instanceof ExecError);
      assert.match(err.stderr, /transport 'ext' not allowed/);
      return true;
    });
  }
  assert.equal(existsSync(marker), false, 'the ext:: command never ran');
  await assert.rejects(strict.run(['ls-remote', url], { cwd: dir }), /transport 'file' not allowed/);
  assert.match(await lenient.run(['ls-remote', url], { cwd: dir }), /refs\/heads\/main/);
});
