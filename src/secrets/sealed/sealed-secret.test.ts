// Pure tests of SealedSecret objects: the shape kubeseal writes, scope annotations, unsealing with
// the template applied, and refusal when a strict SealedSecret is moved to another namespace or name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { UnsealError, sealSecret, unsealSecret, type SealedSecretObject } from './index.js';

function rsa(): { pub: string; priv: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { pub: publicKey.export({ type: 'spki', format: 'pem' }).toString(), priv: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
}
const key = rsa();
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const secret = {
  metadata: { name: 'db', namespace: 'pay', labels: { app: 'shop' }, annotations: { note: 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
  type: 'Opaque',
  data: { password: b64('hunter2-not-real'), both: b64('from data') },
  stringData: { user: 'admin', both: 'from stringData' },
};

test('sealSecret writes the SealedSecret kubeseal writes (strict)', () => {
  const ss = sealSecret(key.pub, secret);
  assert.equal(ss.apiVersion, 'bitnami.com/v1alpha1');
  assert.equal(ss.kind, 'SealedSecret');
  assert.deepEqual(ss.metadata, { name: 'db', namespace: 'pay' });
  assert.deepEqual(ss.spec.template, { metadata: { name: 'db', namespace: 'pay', labels: { app: 'shop' }, annotations: { note: 'x' } }, type: 'Opaque' });
  assert.deepEqual(Object.keys(ss.spec.encryptedData ?? {}), ['both', 'password', 'user']);
  assert.doesNotMatch(JSON.stringify(ss), /hunter2|aHVudGVyMi|admin/);
});

test('scope: the explicit scope replaces the annotations on metadata and template; else annotations select it', () => {
  const ns = sealSecret(key.pub, secret, 'namespace-wide');
  assert.deepEqual(ns.metadata.annotations, { 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
  assert.equal(ns.spec.template?.metadata?.annotations?.['sealedsecrets.bitnami.com/namespace-wide'], 'true');
  const annotated = { ...secret, metadata: { ...secret.metadata, annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } } };
  const cw = sealSecret(key.pub, annotated);
  assert.deepEqual(cw.metadata.annotations, { 'sealedsecrets.bitnami.com/cluster-wide': 'true' });
  const overridden = sealSecret(key.pub, annotated, 'namespace-wide');
  assert.deepEqual(overridden.metadata.annotations, { 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
  assert.deepEqual(overridden.spec.template?.metadata?.annotations, { 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
  const strict = sealSecret(key.pub, annotated, 'strict');
  assert.equal(strict.metadata.annotations, undefined);
  assert.throws(() => sealSecret(key.pub, { metadata: { name: 'db', namespace: '' }, stringData: { a: 'b' } }), /must declare a namespace/);
});

test('unsealSecret applies the template and decrypts every value; stringData wins over data', () => {
  const out = unsealSecret([key.priv], sealSecret(key.pub, secret));
  assert.deepEqual(out, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'pay', labels: { app: 'shop' }, annotations: { note: 'x' } },
    type: 'Opaque',
    data: { both: b64('from stringData'), password: b64('hunter2-not-real'), user: b64('admin') },
  });
});

test('each scope round-trips, and the strict one is bound to its namespace and name', () => {
  for (const scope of ['strict', 'namespace-wide', 'cluster-wide'] as const) {
    const ss = sealSecret(key.pub, secret, scope);
    assert.equal(unsealSecret([key.priv], ss).data['password'], b64('hunter2-not-real'));
    const renamed: SealedSecretObject = { ...ss, metadata: { ...ss.metadata, name: 'db2' } };
    const moved: SealedSecretObject = { ...ss, metadata: { ...ss.metadata, namespace: 'prod' } };
    if (scope === 'strict') {
      for (const bad of [renamed, moved]) {
        assert.throws(() => unsealSecret([key.priv], bad), (e: unknown) => {
          assert.ok(e instanceof UnsealError);
          assert.match(e.message, /cannot unseal "both", "password", "user": no key could decrypt secret/);
          assert.doesNotMatch(e.message, /hunter2|aHVudGVyMi|admin/);
          return true;
        });
      }
    }
    if (scope === 'namespace-wide') {
      assert.equal(unsealSecret([key.priv], renamed).metadata.name, 'db2');
      assert.throws(() => unsealSecret([key.priv], moved), UnsealError);
    }
    if (scope === 'cluster-wide') assert.equal(unsealSecret([key.priv], moved).metadata.namespace, 'prod');
  }
});

test('the scope comes from the SealedSecret metadata, not from the template', () => {
  const ss = sealSecret(key.pub, secret, 'cluster-wide');
  const stripped: SealedSecretObject = { ...ss, metadata: { name: 'db', namespace: 'pay' } };
  assert.throws(() => unsealSecret([key.priv], stripped), UnsealError);
});

test('key rotation: a SealedSecret sealed with the old key unseals with [new, old]', () => {
  const fresh = rsa();
  const ss = sealSecret(key.pub, secret);
  assert.equal(unsealSecret([fresh.priv, key.priv], ss).data['user'], b64('admin'));
  assert.throws(() => unsealSecret([fresh.priv], ss), UnsealError);
});

test('literal template data is kept; Go templates and the deprecated v1 format are refused', () => {
  const ss = sealSecret(key.pub, secret);
  const withData: SealedSecretObject = { ...ss, spec: { ...ss.spec, template: { ...ss.spec.template, data: { extra: 'literal' } } } };
  assert.equal(unsealSecret([key.priv], withData).data['extra'], b64('literal'));
  const templated: SealedSecretObject = { ...ss, spec: { ...ss.spec, template: { data: { dsn: '{{ index . "password" }}' } } } };
  assert.throws(() => unsealSecret([key.priv], templated), /Go templates are not supported/);
  const v1: SealedSecretObject = { ...ss, spec: { data: 'AAAA' } };
  assert.throws(() => unsealSecret([key.priv], v1), /deprecated spec.data/);
});
