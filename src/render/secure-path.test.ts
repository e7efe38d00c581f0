import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSymlinksInside, normalizeRelative, secureJoin } from './secure-path.js';
import { RenderError } from './types.js';

/** A temp dir holding repo/ (with apps/web/deploy.yaml) and outside/secret.yaml next to it. */
function layout(t: { after: (fn: () => void) => void }): { repo: string; outside: string } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fjord-secure-path-')));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  const repo = join(dir, 'repo');
  const outside = join(dir, 'outside');
  mkdirSync(join(repo, 'apps', 'web'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(repo, 'apps', 'web', 'deploy.yaml'), 'kind: x\n');
  writeFileSync(join(outside, 'secret.yaml'), 'kind: Secret\n');
  return { repo, outside };
}

function refused(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof RenderError && pattern.test(e.message));
}

test('paths inside the root resolve to their real path; the root itself is "" or "."', (t) => {
  const { repo } = layout(t);
  assert.equal(secureJoin(repo, 'apps/web/deploy.yaml'), join(repo, 'apps', 'web', 'deploy.yaml'));
  assert.equal(secureJoin(repo, './apps//web/'), join(repo, 'apps', 'web'));
  assert.equal(secureJoin(repo, 'apps/other/../web'), join(repo, 'apps', 'web'));
  assert.equal(secureJoin(repo, ''), repo);
  assert.equal(secureJoin(repo, '.'), repo);
});

test('a path that does not exist yet is allowed and keeps its name', (t) => {
  const { repo } = layout(t);
  assert.equal(secureJoin(repo, 'apps/missing/values.yaml'), join(repo, 'apps', 'missing', 'values.yaml'));
});

test('absolute paths are refused with a message naming the path', (t) => {
  const { repo } = layout(t);
  refused(() => secureJoin(repo, '/etc/passwd'), /^path \/etc\/passwd is absolute/);
});

test('".." escapes are refused, also when hidden in the middle of the path', (t) => {
  const { repo } = layout(t);
  refused(() => secureJoin(repo, '..'), /^path \.\. escapes the repository/);
  refused(() => secureJoin(repo, '../outside/secret.yaml'), /escapes the repository/);
  refused(() => secureJoin(repo, 'apps/../../outside/secret.yaml'), /^path apps\/\.\.\/\.\.\/outside\/secret\.yaml escapes/);
});

test('symlinks resolving outside the root are refused, as file, as directory and in the middle of a path', (t) => {
  const { repo, outside } = layout(t);
  symlinkSync(join(outside, 'secret.yaml'), join(repo, 'apps', 'web', 'leak.yaml'));
  symlinkSync(outside, join(repo, 'apps', 'elsewhere'));
  symlinkSync('../../../outside', join(repo, 'apps', 'web', 'relative-leak'));
  refused(() => secureJoin(repo, 'apps/web/leak.yaml'), /^path apps\/web\/leak\.yaml resolves outside the repository/);
  refused(() => secureJoin(repo, 'apps/elsewhere'), /resolves outside the repository/);
  refused(() => secureJoin(repo, 'apps/elsewhere/secret.yaml'), /resolves outside the repository/);
  refused(() => secureJoin(repo, 'apps/web/relative-leak/new-file.yaml'), /resolves outside the repository/);
});

test('symlinks that stay inside the root are followed', (t) => {
  const { repo } = layout(t);
  symlinkSync('web', join(repo, 'apps', 'current'));
  assert.equal(secureJoin(repo, 'apps/current/deploy.yaml'), join(repo, 'apps', 'web', 'deploy.yaml'));
});

test('a dangling symlink on the way is refused rather than guessed at', (t) => {
  const { repo } = layout(t);
  symlinkSync('/nonexistent-fjord-target', join(repo, 'apps', 'dangling'));
  refused(() => secureJoin(repo, 'apps/dangling/x.yaml'), /contains a symlink that cannot be resolved/);
});

test('the root itself may be reached through a symlink', (t) => {
  const { repo } = layout(t);
  const link = `${repo}-link`;
  symlinkSync(repo, link);
  t.after(() => { rmSync(link, { force: true }); });
  assert.equal(secureJoin(link, 'apps/web'), join(repo, 'apps', 'web'));
});

test('normalizeRelative gives "a/b" form and "" for the root', () => {
  assert.equal(normalizeRelative(''), '');
  assert.equal(normalizeRelative('.'), '');
  assert.equal(normalizeRelative('./apps/web/'), 'apps/web');
  assert.throws(() => normalizeRelative('a\0b'), /NUL byte/);
});

test('assertSymlinksInside walks the tree and names the escaping link', async (t) => {
  const { repo, outside } = layout(t);
  mkdirSync(join(repo, 'apps', 'web', 'templates'));
  symlinkSync('../deploy.yaml', join(repo, 'apps', 'web', 'templates', 'inside.yaml'));
  symlinkSync('../../../../nowhere', join(repo, 'apps', 'web', 'templates', 'dangling-outside'));
  await assert.rejects(assertSymlinksInside(repo, join(repo, 'apps', 'web')), /^RenderError: apps\/web\/templates\/dangling-outside: symlink resolves outside the repository/);
  rmSync(join(repo, 'apps', 'web', 'templates', 'dangling-outside'));
  await assertSymlinksInside(repo, join(repo, 'apps', 'web'));
  symlinkSync(join(outside, 'secret.yaml'), join(repo, 'apps', 'web', 'templates', 'secret.yaml'));
  await assert.rejects(assertSymlinksInside(repo, join(repo, 'apps', 'web')), /apps\/web\/templates\/secret\.yaml: symlink resolves outside the repository/);
});
