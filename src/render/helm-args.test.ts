import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeSetValue, inlineValues, resolveValueFiles, templateArgs } from './helm-args.js';
import { RenderError, type AppDir, type HelmOptions } from './types.js';

const label = '<helm charts/web>';

/** repo/charts/web (the chart), repo/envs/prod.yaml, and outside.yaml next to the repo. */
function chartRepo(t: { after: (fn: () => void) => void }): AppDir {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fjord-helm-args-')));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  const repoRoot = join(dir, 'repo');
  mkdirSync(join(repoRoot, 'charts', 'web'), { recursive: true });
  mkdirSync(join(repoRoot, 'envs'));
  writeFileSync(join(repoRoot, 'charts', 'web', 'values-prod.yaml'), 'a: 1\n');
  writeFileSync(join(repoRoot, 'envs', 'prod.yaml'), 'b: 2\n');
  writeFileSync(join(dir, 'outside.yaml'), 'c: 3\n');
  return { repoRoot, path: 'charts/web', dir: join(repoRoot, 'charts', 'web') };
}

async function refused(app: AppDir, opts: HelmOptions, pattern: RegExp): Promise<void> {
  await assert.rejects(resolveValueFiles(app, opts, label), (e: unknown) => e instanceof RenderError && pattern.test(e.message));
}

test('commas in --set values are escaped unless already escaped or a {list}', () => {
  assert.equal(escapeSetValue('a,b'), 'a\\,b');
  assert.equal(escapeSetValue('a\\,b,,c'), 'a\\,b\\,\\,c');
  assert.equal(escapeSetValue('{a,b}'), '{a,b}');
  assert.equal(escapeSetValue('plain'), 'plain');
});

test('templateArgs uses --flag=value forms and puts release and chart after --', () => {
  const args = templateArgs({
    releaseName: 'shop',
    chartDir: '/repo/charts/web',
    namespace: 'payments',
    valueFiles: ['/repo/charts/web/values-prod.yaml', '/tmp/inline.yaml'],
    parameters: [{ name: 'image.tag', value: '1,2' }, { name: 'port', value: '80', forceString: true }],
    skipCrds: false,
  });
  assert.deepEqual(args, [
    'template', '--namespace=payments', '--values=/repo/charts/web/values-prod.yaml', '--values=/tmp/inline.yaml',
    '--set=image.tag=1\\,2', '--set-string=port=80', '--include-crds', '--', 'shop', '/repo/charts/web',
  ]);
  const minimal = templateArgs({ releaseName: '-x', chartDir: '/c', valueFiles: [], parameters: [], skipCrds: true });
  assert.deepEqual(minimal, ['template', '--', '-x', '/c']);
});

test('value files resolve relative to the chart path, anywhere inside the repository', async (t) => {
  const app = chartRepo(t);
  const files = await resolveValueFiles(app, { valueFiles: ['values-prod.yaml', '../../envs/prod.yaml'] }, label);
  assert.deepEqual(files, [join(app.dir, 'values-prod.yaml'), join(app.repoRoot, 'envs', 'prod.yaml')]);
});

test('value files outside the repository are refused: "..", absolute, and through a symlink', async (t) => {
  const app = chartRepo(t);
  await refused(app, { valueFiles: ['../../../outside.yaml'] }, /^<helm charts\/web>: value file \.\.\/\.\.\/\.\.\/outside\.yaml: path charts\/web\/\.\.\/\.\.\/\.\.\/outside\.yaml escapes the repository$/);
  await refused(app, { valueFiles: ['/etc/passwd'] }, /^<helm charts\/web>: value file \/etc\/passwd is absolute/);
  symlinkSync(join(app.repoRoot, '..', 'outside.yaml'), join(app.dir, 'linked.yaml'));
  await refused(app, { valueFiles: ['linked.yaml'] }, /value file linked\.yaml: path charts\/web\/linked\.yaml resolves outside the repository/);
  await refused(app, { valueFiles: ['../../../outside.yaml'], ignoreMissingValueFiles: true }, /escapes the repository/);
});

test('remote and $ref value files are refused as unsupported', async (t) => {
  const app = chartRepo(t);
  await refused(app, { valueFiles: ['https://example.com/values.yaml'] }, /remote value files are not supported/);
  await refused(app, { valueFiles: ['$values/envs/prod.yaml'] }, /\$ref value files .* are not supported/);
});

test('a missing value file is an error unless ignoreMissingValueFiles', async (t) => {
  const app = chartRepo(t);
  await refused(app, { valueFiles: ['values-staging.yaml'] }, /^<helm charts\/web>: value file charts\/web\/values-staging\.yaml does not exist in the repository$/);
  assert.deepEqual(await resolveValueFiles(app, { valueFiles: ['values-staging.yaml', 'values-prod.yaml'], ignoreMissingValueFiles: true }, label), [join(app.dir, 'values-prod.yaml')]);
  await refused(app, { valueFiles: ['../../envs'] }, /value file envs is not a file/);
});

test('valuesObject replaces values (as in Argo CD); bad values YAML names the line', () => {
  assert.equal(inlineValues({}, label), undefined);
  assert.equal(inlineValues({ values: '  \n' }, label), undefined);
  assert.equal(inlineValues({ values: 'a: 1\n' }, label), 'a: 1\n');
  assert.equal(inlineValues({ values: 'a: 1\n', valuesObject: { b: { c: 'yes' } } }, label), '{"b":{"c":"yes"}}');
  assert.throws(() => inlineValues({ values: 'a: 1\nb: [\n' }, label), /^RenderError: <helm charts\/web>: helm values: YAML error at line 3: /);
});
