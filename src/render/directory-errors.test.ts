import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../dev/paths.js';
import { render } from './render.js';
import { RenderError, type RenderRequest } from './types.js';

const repoRoot = join(packageRoot(), 'testdata', 'render');

async function failure(req: Partial<RenderRequest> & { path: string }): Promise<RenderError> {
  const err = await render({ repoRoot, appName: 'app', ...req }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof RenderError, `expected a RenderError, got ${String(err)}`);
  return err;
}

function scratchRepo(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-dir-errors-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  mkdirSync(join(dir, 'repo', 'app'), { recursive: true });
  return join(dir, 'repo');
}

test('malformed YAML names the file, the document and the line', async () => {
  const err = await failure({ path: 'directory/broken-yaml' });
  assert.equal(err.file, 'directory/broken-yaml/broken.yaml');
  assert.match(err.message, /^directory\/broken-yaml\/broken\.yaml: document 2: YAML error at line 11, column 1: Flow sequence/);
});

test('a document without kind names the file and the document', async () => {
  const err = await failure({ path: 'directory/missing-kind' });
  assert.equal(err.message, 'directory/missing-kind/app.yaml: document 2: not a Kubernetes object: missing kind');
});

test('a document that is not an object is an error', async () => {
  const err = await failure({ path: 'directory/scalar' });
  assert.equal(err.message, 'directory/scalar/app.yaml: document 1: expected a Kubernetes object, found the string "just a string"');
});

test('a path that does not exist, or is a file, says so', async () => {
  assert.equal((await failure({ path: 'apps/x' })).message, 'path apps/x does not exist in the repository');
  assert.equal((await failure({ path: 'directory/scalar/app.yaml' })).message, 'path directory/scalar/app.yaml is not a directory');
});

test('".." and absolute app paths are refused before anything is read', async () => {
  assert.equal((await failure({ path: '../render' })).message, 'path ../render escapes the repository');
  assert.equal((await failure({ path: 'directory/../../render' })).message, 'path directory/../../render escapes the repository');
  assert.match((await failure({ path: '/etc' })).message, /^path \/etc is absolute/);
});

test('a symlinked manifest that escapes the repository is refused, even when excluded', async (t) => {
  const repo = scratchRepo(t);
  writeFileSync(join(repo, '..', 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\n');
  symlinkSync(join(repo, '..', 'secret.yaml'), join(repo, 'app', 'leak.yaml'));
  const err = await failure({ repoRoot: repo, path: 'app' });
  assert.equal(err.message, 'app/leak.yaml: symlink resolves outside the repository');
  await assert.rejects(render({ repoRoot: repo, path: 'app', appName: 'app', directory: { exclude: 'leak.yaml' } }), /symlink resolves outside/);
});

test('an app path that is a symlink out of the repository is refused', async (t) => {
  const repo = scratchRepo(t);
  symlinkSync('/etc', join(repo, 'etc'));
  assert.equal((await failure({ repoRoot: repo, path: 'etc' })).message, 'path etc resolves outside the repository (through a symlink)');
});

test('files larger than 10 MiB are refused by size, before being read', async (t) => {
  const repo = scratchRepo(t);
  writeFileSync(join(repo, 'app', 'huge.yaml'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
  const err = await failure({ repoRoot: repo, path: 'app' });
  assert.equal(err.message, 'app/huge.yaml: file is 10485761 bytes, larger than the 10485760 byte limit');
});

test('more than 10,000 documents in one application are refused, naming the file that crossed the limit', async (t) => {
  const repo = scratchRepo(t);
  const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n';
  writeFileSync(join(repo, 'app', 'a.yaml'), doc.repeat(6000));
  writeFileSync(join(repo, 'app', 'b.yaml'), doc.repeat(6000));
  const err = await failure({ repoRoot: repo, path: 'app' });
  assert.equal(err.message, 'app/b.yaml: more than 10000 documents in this application; refusing to render it');
});
