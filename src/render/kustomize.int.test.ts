// Kustomize apps rendered by the real kubectl kustomize (no cluster needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { packageRoot } from '../dev/paths.js';
import { render } from './render.js';
import { RenderError, type KustomizeOptions, type RenderedObject } from './types.js';

const repoRoot = join(packageRoot(), 'testdata', 'render');
const overlay = 'kustomize/overlays/production';

type Deployment = { metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { containers: { name: string; image: string }[] } } } };

function find(objs: RenderedObject[], kind: string): Deployment {
  const o = objs.find((x) => x.object.kind === kind);
  assert.ok(o, `a ${kind} was rendered`);
  return o.object as unknown as Deployment;
}

function images(d: Deployment): Record<string, string> {
  return Object.fromEntries(d.spec.template.spec.containers.map((c) => [c.name, c.image]));
}

function renderOverlay(kustomize?: KustomizeOptions): Promise<RenderedObject[]> {
  return render({ repoRoot, path: overlay, appName: 'payment', ...(kustomize ? { kustomize } : {}) });
}

/** Names, contents and modification times of every file under dir. */
function treeHash(dir: string): string {
  const h = createHash('sha256');
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      h.update(`${relative(dir, p)}:${st.mtimeMs}:${st.mode}\n`);
      if (st.isDirectory()) visit(p);
      else if (st.isFile()) h.update(readFileSync(p));
    }
  };
  visit(dir);
  return h.digest('hex');
}

function scratch(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-kustomize-test-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

test('an overlay over a base: replicas patch, image tag and namespace applied', async () => {
  const out = await renderOverlay();
  assert.deepEqual(out.map((o) => [o.file, o.index, o.object.kind]), [[`<kustomize ${overlay}>`, 0, 'Service'], [`<kustomize ${overlay}>`, 1, 'Deployment']]);
  const d = find(out, 'Deployment');
  assert.equal(d.spec.replicas, 5);
  assert.equal(d.metadata.namespace, 'payments-prod');
  assert.deepEqual(images(d), { payment: 'registry.example.com/payment:2.1.0', proxy: 'envoyproxy/envoy:v1.30.0' });
});

test('the base alone renders unchanged', async () => {
  const out = await render({ repoRoot, path: 'kustomize/base', appName: 'payment' });
  const d = find(out, 'Deployment');
  assert.equal(d.spec.replicas, 1);
  assert.equal(d.metadata.namespace, undefined);
});

test('Argo CD kustomize options: images, namePrefix, nameSuffix, commonLabels, commonAnnotations, namespace', async () => {
  const out = await renderOverlay({
    images: ['envoyproxy/envoy=mirror.local/envoy:v2', 'registry.example.com/payment@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
    namePrefix: 'eu-',
    nameSuffix: '-blue',
    commonLabels: { team: 'payments' },
    commonAnnotations: { 'fjord.dev/owner': 'ops' },
    namespace: 'payments-eu',
  });
  const d = find(out, 'Deployment');
  assert.equal(d.metadata.name, 'eu-payment-blue');
  assert.equal(d.metadata.namespace, 'payments-eu');
  assert.equal(d.spec.replicas, 5, 'the overlay patch still applies');
  assert.equal(d.metadata.labels?.['team'], 'payments');
  assert.equal(d.spec.selector.matchLabels['team'], 'payments');
  assert.equal(d.spec.template.metadata.labels['team'], 'payments');
  assert.equal(d.metadata.annotations?.['fjord.dev/owner'], 'ops');
  assert.deepEqual(images(d), {
    payment: 'registry.example.com/payment@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    proxy: 'mirror.local/envoy:v2',
  });
  assert.equal(find(out, 'Service').metadata.name, 'eu-payment-blue');
});

test('rendering never writes into the checkout and leaves no scratch files behind', async (t) => {
  const tmp = scratch(t);
  const before = treeHash(join(repoRoot, 'kustomize'));
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = tmp;
  try {
    await renderOverlay({ namePrefix: 'x-', images: ['nginx:1.27'] });
    await renderOverlay();
    await assert.rejects(render({ repoRoot, path: 'kustomize/broken', appName: 'broken', kustomize: { namePrefix: 'x-' } }));
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
  }
  assert.equal(treeHash(join(repoRoot, 'kustomize')), before);
  assert.deepEqual(readdirSync(tmp), []);
});

test('a kustomize error names the app path and carries kustomize\'s message, with repository-relative paths', async () => {
  const err = await render({ repoRoot, path: 'kustomize/broken', appName: 'broken' }).catch((e: unknown) => e);
  assert.ok(err instanceof RenderError);
  assert.equal(err.file, '<kustomize kustomize/broken>');
  assert.match(err.message, /^<kustomize kustomize\/broken>: kubectl kustomize exited with code 1: error: accumulating resources: .*missing\.yaml/s);
  assert.ok(!err.message.includes(repoRoot), 'absolute checkout paths are cut from the message');
});

test('kustomize keeps its load restrictor: a file outside the kustomization root is refused', async (t) => {
  const repo = join(scratch(t), 'repo');
  mkdirSync(join(repo, 'app'), { recursive: true });
  writeFileSync(join(repo, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside-root\n');
  writeFileSync(join(repo, 'app', 'kustomization.yaml'), 'resources:\n  - ../cm.yaml\n');
  await assert.rejects(render({ repoRoot: repo, path: 'app', appName: 'a', kustomize: { namePrefix: 'x-' } }), /^RenderError: <kustomize app>: kubectl kustomize exited with code 1: .*security; file .*cm\.yaml' is not in or below/s);
});

test('a symlink in the app that escapes the repository is refused before kustomize runs', async (t) => {
  const dir = scratch(t);
  const repo = join(dir, 'repo');
  cpSync(join(repoRoot, 'kustomize'), repo, { recursive: true });
  writeFileSync(join(dir, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n');
  symlinkSync(join(dir, 'secret.yaml'), join(repo, 'base', 'secret.yaml'));
  await assert.rejects(render({ repoRoot: repo, path: 'base', appName: 'a' }), /^RenderError: base\/secret\.yaml: symlink resolves outside the repository$/);
});

test('a kustomize run past its timeout is stopped and reported', async () => {
  await assert.rejects(render({ repoRoot, path: overlay, appName: 'payment', timeoutMs: 1 }), /^RenderError: <kustomize kustomize\/overlays\/production>: kubectl kustomize timed out after 1 ms/);
});

test('bad image overrides are refused naming the app', async () => {
  await assert.rejects(renderOverlay({ images: ['nginx:'] }), /^RenderError: <kustomize kustomize\/overlays\/production>: kustomize image override "nginx:" is not of the form/);
});
