// Helm charts rendered by the real helm v4 (`helm template`, no cluster needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../dev/paths.js';
import { render } from './render.js';
import { RenderError, type HelmOptions, type RenderedObject } from './types.js';

const repoRoot = join(packageRoot(), 'testdata', 'render');
const chart = 'helm/web';

type Obj = { metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec: { replicas: number; template: { spec: { containers: { image: string }[] } } }; data: Record<string, string> };

function find(objs: RenderedObject[], kind: string): Obj {
  const o = objs.find((x) => x.object.kind === kind);
  assert.ok(o, `a ${kind} was rendered`);
  return o.object as unknown as Obj;
}

function renderChart(helm?: HelmOptions, destinationNamespace = 'shop'): Promise<RenderedObject[]> {
  return render({ repoRoot, path: chart, appName: 'storefront', destinationNamespace, ...(helm ? { helm } : {}) });
}

async function failure(helm: HelmOptions): Promise<RenderError> {
  const err = await renderChart(helm).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof RenderError, `expected a RenderError, got ${String(err)}`);
  return err;
}

test('defaults: release named after the app, destination namespace, chart values, CRDs included', async () => {
  const out = await renderChart();
  assert.deepEqual(out.map((o) => [o.file, o.object.kind]), [['<helm helm/web>', 'CustomResourceDefinition'], ['<helm helm/web>', 'ConfigMap'], ['<helm helm/web>', 'Deployment']]);
  const d = find(out, 'Deployment');
  assert.equal(d.metadata.name, 'storefront-web');
  assert.equal(d.metadata.namespace, 'shop');
  assert.equal(d.spec.replicas, 1);
  assert.equal(d.spec.template.spec.containers[0]?.image, 'nginx:1.27');
});

test('releaseName and skipCrds', async () => {
  const out = await renderChart({ releaseName: 'web-eu', skipCrds: true });
  assert.deepEqual(out.map((o) => o.object.kind), ['ConfigMap', 'Deployment']);
  assert.equal(find(out, 'Deployment').metadata.name, 'web-eu-web');
});

test('value files apply in order, relative to the chart path and anywhere in the repository', async () => {
  const out = await renderChart({ valueFiles: ['values-prod.yaml', '../envs/prod-extra.yaml'] });
  const d = find(out, 'Deployment');
  assert.equal(d.spec.replicas, 3);
  assert.equal(d.metadata.labels?.['tier'], 'production');
  assert.equal(find(out, 'ConfigMap').data['greeting'], 'from-envs');
});

test('inline values override value files; valuesObject replaces values', async () => {
  const values = await renderChart({ valueFiles: ['values-prod.yaml'], values: 'replicas: 7\ngreeting: inline\n' });
  assert.equal(find(values, 'Deployment').spec.replicas, 7);
  assert.equal(find(values, 'ConfigMap').data['greeting'], 'inline');
  const object = await renderChart({ valueFiles: ['values-prod.yaml'], values: 'replicas: 7\ngreeting: inline\n', valuesObject: { greeting: 'object' } });
  assert.equal(find(object, 'Deployment').spec.replicas, 3, 'values is ignored when valuesObject is set, as in Argo CD');
  assert.equal(find(object, 'ConfigMap').data['greeting'], 'object');
});

test('parameters override everything, and commas stay inside one value', async () => {
  const out = await renderChart({ values: 'replicas: 7\n', parameters: [{ name: 'replicas', value: '2' }, { name: 'extra', value: '0755,x' }] });
  assert.equal(find(out, 'Deployment').spec.replicas, 2);
  assert.equal(find(out, 'ConfigMap').data['extra'], '0755,x');
});

test('forceString sends --set-string, so numbers stay strings', async () => {
  const typed = await renderChart({ parameters: [{ name: 'extra', value: '42' }] });
  assert.equal(find(typed, 'ConfigMap').data['extraKind'], 'int64');
  const forced = await renderChart({ parameters: [{ name: 'extra', value: '42', forceString: true }] });
  assert.equal(find(forced, 'ConfigMap').data['extraKind'], 'string');
});

test('value files outside the repository are refused before helm runs', async () => {
  const escape = await failure({ valueFiles: ['../../../../../etc/passwd'] });
  assert.match(escape.message, /^<helm helm\/web>: value file \.\.\/\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd: path .* escapes the repository$/);
  const absolute = await failure({ valueFiles: ['/etc/passwd'] });
  assert.match(absolute.message, /^<helm helm\/web>: value file \/etc\/passwd is absolute/);
});

test('a missing value file is an error unless ignoreMissingValueFiles', async () => {
  const err = await failure({ valueFiles: ['values-staging.yaml'] });
  assert.equal(err.message, '<helm helm/web>: value file helm/web/values-staging.yaml does not exist in the repository');
  const out = await renderChart({ valueFiles: ['values-staging.yaml', 'values-prod.yaml'], ignoreMissingValueFiles: true });
  assert.equal(find(out, 'Deployment').spec.replicas, 3);
});

test('a template error names the chart path and carries helm\'s message', async () => {
  const err = await failure({ parameters: [{ name: 'image.tag', value: '' }] });
  assert.equal(err.file, '<helm helm/web>');
  assert.match(err.message, /^<helm helm\/web>: helm template exited with code 1: .*image\.tag is required/s);
  assert.ok(!err.message.includes(repoRoot), 'absolute checkout paths are cut from the message');
});

test('rendering leaves no scratch files (values, helm home) behind', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'fjord-helm-test-'));
  t.after(() => { rmSync(tmp, { recursive: true, force: true }); });
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = tmp;
  try {
    await renderChart({ values: 'replicas: 2\n' });
    await assert.rejects(renderChart({ values: 'replicas: 2\n', parameters: [{ name: 'image.tag', value: '' }] }));
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
  }
  assert.deepEqual(readdirSync(tmp), []);
});

test('a chart holding a symlink out of the repository is refused (helm would follow it into .Files)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-helm-link-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  cpSync(join(repoRoot, 'helm'), join(dir, 'repo'), { recursive: true });
  writeFileSync(join(dir, 'host-secret.txt'), 'not for templates\n');
  symlinkSync(join(dir, 'host-secret.txt'), join(dir, 'repo', 'web', 'secret.txt'));
  await assert.rejects(render({ repoRoot: join(dir, 'repo'), path: 'web', appName: 'a' }), /^RenderError: web\/secret\.txt: symlink resolves outside the repository$/);
});
