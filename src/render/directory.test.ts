import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../dev/paths.js';
import { render } from './render.js';
import type { DirectoryOptions, RenderedObject } from './types.js';

const repoRoot = join(packageRoot(), 'testdata', 'render');

async function names(path: string, directory?: DirectoryOptions): Promise<string[]> {
  const out = await render({ repoRoot, path, appName: 'app', ...(directory ? { directory } : {}) });
  return out.map((o) => `${o.file}#${o.index}:${o.object.kind ?? ''}/${o.object.metadata?.name ?? ''}`);
}

function byName(objs: RenderedObject[], name: string): RenderedObject | undefined {
  return objs.find((o) => o.object.metadata?.name === name);
}

test('a directory renders *.yaml, *.yml and *.json in sorted order, multi-document and List files included', async () => {
  assert.deepEqual(await names('directory/basic'), [
    'directory/basic/a-multi.yaml#0:ConfigMap/first',
    'directory/basic/a-multi.yaml#2:Service/web',
    'directory/basic/b-list.yaml#0:ServiceAccount/listed-a',
    'directory/basic/b-list.yaml#0:ServiceAccount/listed-b',
    'directory/basic/c-flags.yml#0:Feature/flags',
    'directory/basic/d.json#0:ConfigMap/from-json',
  ]);
});

test('values are read as kubectl reads YAML 1.1', async () => {
  const out = await render({ repoRoot, path: 'directory/basic', appName: 'app' });
  assert.deepEqual(byName(out, 'flags')?.object['spec'], { enabled: true, legacy: false, audit: true, debug: false, mode: 493, window: '12:30', since: '2024-01-01', quoted: 'yes' });
  assert.deepEqual(byName(out, 'from-json')?.object['data'], { big: '1e5' });
});

test('subdirectories are read only with recurse, depth first like filepath.Walk', async () => {
  const flat = await names('directory/basic', { recurse: false });
  assert.ok(!flat.some((n) => n.includes('nested')));
  const deep = await names('directory/basic', { recurse: true });
  assert.deepEqual(deep.slice(-2), ['directory/basic/nested/deeper/f.yaml#0:ConfigMap/deeper', 'directory/basic/nested/e.yaml#0:ConfigMap/nested']);
});

test('include and exclude globs match the path relative to the app, brace lists included', async () => {
  assert.deepEqual(await names('directory/globs', { include: '{a.yaml,config.json}' }), ['directory/globs/a.yaml#0:ConfigMap/a', 'directory/globs/config.json#0:ConfigMap/config']);
  assert.deepEqual(await names('directory/globs', { exclude: '*.json' }), ['directory/globs/a.yaml#0:ConfigMap/a', 'directory/globs/b.yaml#0:ConfigMap/b']);
  const recursed = await names('directory/globs', { recurse: true, exclude: '{config.json,env-usw2/*}' });
  assert.deepEqual(recursed, ['directory/globs/a.yaml#0:ConfigMap/a', 'directory/globs/b.yaml#0:ConfigMap/b', 'directory/globs/sub/c.yaml#0:ConfigMap/c']);
  assert.deepEqual(await names('directory/globs', { recurse: true, include: 'sub/*', exclude: 'b.yaml' }), ['directory/globs/sub/c.yaml#0:ConfigMap/c']);
});

test('as in Argo CD, * also crosses directories and exclude wins over include', async () => {
  const all = await names('directory/globs', { recurse: true, include: '*.yaml' });
  assert.deepEqual(all.map((n) => n.split('#')[0]), ['directory/globs/a.yaml', 'directory/globs/b.yaml', 'directory/globs/env-usw2/x.yaml', 'directory/globs/sub/c.yaml']);
  assert.deepEqual(await names('directory/globs', { include: 'a.yaml', exclude: 'a.yaml' }), []);
});

test('the repository root itself can be the app path', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-dir-root-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: top\n');
  for (const path of ['', '.', './']) {
    const out = await render({ repoRoot: dir, path, appName: 'app' });
    assert.deepEqual(out.map((o) => o.file), ['cm.yaml']);
  }
});

test('symlinks inside the repository are read; linked directories are not entered', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-dir-links-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  mkdirSync(join(dir, 'shared'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'shared', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n');
  symlinkSync('../shared/cm.yaml', join(dir, 'app', 'linked.yaml'));
  symlinkSync('../shared', join(dir, 'app', 'linked-dir'));
  const out = await render({ repoRoot: dir, path: 'app', appName: 'app', directory: { recurse: true } });
  assert.deepEqual(out.map((o) => [o.file, o.object.metadata?.name]), [['app/linked.yaml', 'shared']]);
});
