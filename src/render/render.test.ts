import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAppDir } from './app-dir.js';
import { detectSourceType, render } from './render.js';
import { RenderError, type RenderRequest, type SourceType } from './types.js';

function appWith(t: { after: (fn: () => void) => void }, files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-render-detect-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  for (const f of files) writeFileSync(join(dir, f), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
  return dir;
}

async function detect(repoRoot: string, extra: Partial<RenderRequest> = {}): Promise<SourceType> {
  const req: RenderRequest = { repoRoot, path: '', appName: 'app', ...extra };
  return detectSourceType(req, await resolveAppDir(req));
}

test('the files in the app directory choose the tool', async (t) => {
  assert.equal(await detect(appWith(t, ['Chart.yaml', 'values.yaml'])), 'helm');
  for (const k of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) assert.equal(await detect(appWith(t, [k])), 'kustomize');
  assert.equal(await detect(appWith(t, ['deploy.yaml'])), 'directory');
  assert.equal(await detect(appWith(t, [])), 'directory');
});

test('a kustomization wins over Chart.yaml, as in Argo CD discovery', async (t) => {
  assert.equal(await detect(appWith(t, ['Chart.yaml', 'kustomization.yaml'])), 'kustomize');
});

test('a source type set explicitly in the spec wins over the files', async (t) => {
  const dir = appWith(t, ['Chart.yaml', 'kustomization.yaml']);
  assert.equal(await detect(dir, { directory: { recurse: true } }), 'directory');
  assert.equal(await detect(dir, { helm: {} }), 'helm');
  assert.equal(await detect(appWith(t, ['a.yaml']), { kustomize: {} }), 'kustomize');
});

test('more than one explicit source type is an error naming the path', async (t) => {
  const dir = appWith(t, ['a.yaml']);
  await assert.rejects(detect(dir, { helm: {}, directory: {} }), (e: unknown) => e instanceof RenderError && e.message === '.: multiple source types set (helm, directory); set at most one');
});

test('render renders a directory app through the same entry point', async (t) => {
  const dir = appWith(t, ['cm.yaml']);
  const out = await render({ repoRoot: dir, path: '.', appName: 'app', directory: {} });
  assert.deepEqual(out, [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, file: 'cm.yaml', index: 0 }]);
});
