import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasOverrides, parseImageOverride, wrapperKustomization } from './kustomize-options.js';
import { RenderError } from './types.js';

test('Argo CD image overrides parse into kustomize images entries', () => {
  assert.deepEqual(parseImageOverride('nginx:1.27'), { name: 'nginx', newTag: '1.27' });
  assert.deepEqual(parseImageOverride('nginx=mirror.local/nginx:1.27'), { name: 'nginx', newName: 'mirror.local/nginx', newTag: '1.27' });
  assert.deepEqual(parseImageOverride('nginx=mirror.local/nginx'), { name: 'nginx', newName: 'mirror.local/nginx' });
  assert.deepEqual(parseImageOverride('nginx@sha256:abc123'), { name: 'nginx', digest: 'sha256:abc123' });
  assert.deepEqual(parseImageOverride('nginx=other@sha256:abc123'), { name: 'nginx', newName: 'other', digest: 'sha256:abc123' });
});

test('a registry port is not mistaken for a tag', () => {
  assert.deepEqual(parseImageOverride('localhost:5000/app:2.0'), { name: 'localhost:5000/app', newTag: '2.0' });
  assert.deepEqual(parseImageOverride('app=localhost:5000/app'), { name: 'app', newName: 'localhost:5000/app' });
});

test('malformed image overrides are refused with the override in the message', () => {
  for (const bad of ['', '=x:1', 'nginx:', 'nginx@', 'a=:1']) {
    assert.throws(() => parseImageOverride(bad), (e: unknown) => e instanceof RenderError && e.message.includes(JSON.stringify(bad)));
  }
});

test('the wrapper lists the app by relative path and carries every override', () => {
  const k = wrapperKustomization('../../repo/apps/web', {
    namespace: 'prod',
    namePrefix: 'p-',
    nameSuffix: '-s',
    commonLabels: { team: 'payments' },
    commonAnnotations: { owner: 'ops' },
    images: ['nginx:1.27'],
  });
  assert.deepEqual(k, {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: ['../../repo/apps/web'],
    namespace: 'prod',
    namePrefix: 'p-',
    nameSuffix: '-s',
    labels: [{ pairs: { team: 'payments' }, includeSelectors: true }],
    commonAnnotations: { owner: 'ops' },
    images: [{ name: 'nginx', newTag: '1.27' }],
  });
});

test('empty options need no wrapper', () => {
  assert.equal(hasOverrides(undefined), false);
  assert.equal(hasOverrides({}), false);
  assert.equal(hasOverrides({ images: [], commonLabels: {}, namePrefix: '' }), false);
  assert.equal(hasOverrides({ commonAnnotations: { a: 'b' } }), true);
});
