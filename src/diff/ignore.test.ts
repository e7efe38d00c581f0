import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyIgnoreDifferences, keepIgnoredFromLive, parseJqPath } from './ignore.js';
import { maskSecret } from './mask.js';
import { jsonEqual, normalizeForCompare } from './normalize.js';

const deployment = (): Record<string, unknown> => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'p', labels: { 'app.kubernetes.io/version': '1' } },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'api', image: 'a:1', env: [{ name: 'X', value: '1' }] }, { name: 'side', image: 's:1' }] } } },
});

test('JSON pointers and jq paths remove the named fields from matching objects only', () => {
  const d = deployment();
  applyIgnoreDifferences(d, undefined, [
    { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    { group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[].image', '.metadata.labels["app.kubernetes.io/version"]'] },
    { group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/template'] },
  ]);
  const spec = d['spec'] as { replicas?: number; template: { spec: { containers: { image?: string }[] } } };
  assert.equal(spec.replicas, undefined);
  assert.deepEqual(spec.template.spec.containers.map((c) => c.image), [undefined, undefined]);
  assert.deepEqual((d['metadata'] as { labels: object }).labels, {});
});

test('a rule for another name or namespace does not apply', () => {
  const d = deployment();
  applyIgnoreDifferences(d, undefined, [{ group: 'apps', kind: 'Deployment', name: 'other', jsonPointers: ['/spec/replicas'] }]);
  assert.equal((d['spec'] as { replicas: number }).replicas, 3);
});

test('managedFieldsManagers removes exactly the fields that manager owns, including inside keyed lists', () => {
  const live = {
    ...deployment(),
    metadata: {
      name: 'api', managedFields: [
        { manager: 'hpa-controller', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
        { manager: 'injector', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"api"}': { '.': {}, 'f:env': {} } } } } } } },
      ],
    },
  };
  const d = deployment();
  applyIgnoreDifferences(d, live, [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['hpa-controller', 'injector'] }]);
  const spec = d['spec'] as { replicas?: number; template: { spec: { containers: { name: string; image: string; env?: unknown }[] } } };
  assert.equal(spec.replicas, undefined);
  assert.deepEqual(spec.template.spec.containers, [{ name: 'api', image: 'a:1' }, { name: 'side', image: 's:1' }]);
});

test('unsupported jq syntax is refused with the expression named', () => {
  assert.throws(() => parseJqPath('.spec | del(.x)'), /jq path "\.spec \| del\(\.x\)": unsupported syntax/);
  assert.deepEqual(parseJqPath('.a[0].b[]'), [{ kind: 'key', key: 'a' }, { kind: 'index', index: 0 }, { kind: 'key', key: 'b' }, { kind: 'each' }]);
});

test('server-owned metadata and status do not count as differences', () => {
  const a = { ...deployment(), status: { readyReplicas: 3 }, metadata: { name: 'api', resourceVersion: '5', generation: 2, managedFields: [], uid: 'u' } };
  const b = { ...deployment(), metadata: { name: 'api', resourceVersion: '9' } };
  assert.ok(jsonEqual(normalizeForCompare(a), normalizeForCompare(b)));
  assert.ok(!jsonEqual(normalizeForCompare(a), normalizeForCompare({ ...b, spec: { replicas: 1 } })));
});

test('Secret values are masked: equal values equal masks, no value survives', () => {
  const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { a: 'c2VjcmV0', b: 'c2VjcmV0', c: 'b3RoZXI=' }, stringData: { d: 'hunter2' } };
  const m = maskSecret(s);
  const data = m['data'] as Record<string, string>;
  assert.equal(data['a'], data['b']);
  assert.notEqual(data['a'], data['c']);
  assert.doesNotMatch(JSON.stringify(m), /c2VjcmV0|b3RoZXI=|hunter2/);
  assert.deepEqual(maskSecret({ kind: 'ConfigMap', data: { a: 'x' } }), { kind: 'ConfigMap', data: { a: 'x' } });
});

test('RespectIgnoreDifferences keeps the live values of ignored fields in what is applied', () => {
  const desired = deployment();
  const live = { ...deployment(), spec: { replicas: 7, template: { spec: { containers: [{ name: 'api', image: 'a:hotfix' }, { name: 'side', image: 's:1' }] } } } };
  const kept = keepIgnoredFromLive(desired, live, [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'], jqPathExpressions: ['.spec.template.spec.containers[].image'] }]);
  const spec = kept['spec'] as { replicas: number; template: { spec: { containers: { image: string; env?: unknown }[] } } };
  assert.equal(spec.replicas, 7);
  assert.deepEqual(spec.template.spec.containers.map((c) => c.image), ['a:hotfix', 's:1']);
  assert.ok(spec.template.spec.containers[0]?.env, 'other fields stay as in Git');
  assert.equal((desired['spec'] as { replicas: number }).replicas, 3, 'the desired object itself is not changed');
});
