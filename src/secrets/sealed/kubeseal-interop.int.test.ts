// Interoperability with the REAL kubeseal, offline: what kubeseal seals (each scope, and --raw values)
// Fjord unseals; what Fjord seals `kubeseal --recovery-unseal` recovers; a strict SealedSecret moved
// to another namespace is refused by both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../exec/exec.js';
import { binaryPath } from '../../dev/paths.js';
import { createSelfSignedRsa, type KeyPairPem } from '../../dev/pki.js';
import { UnsealError, encryptionLabel, sealSecret, unseal, unsealSecret, type SealedSecretObject, type SealingScope } from './index.js';

const KUBESEAL = binaryPath('kubeseal');
const SCOPES: readonly SealingScope[] = ['strict', 'namespace-wide', 'cluster-wide'];
const b64 = (s: string): string => Buffer.from(s).toString('base64');

interface Fixture { dir: string; cert: string; key: string; pem: KeyPairPem; env: NodeJS.ProcessEnv }

async function fixture(t: { after: (fn: () => void) => void }, bits = 2048): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-sealed-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  const pem = await createSelfSignedRsa('sealed-secrets-test', bits);
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  writeFileSync(cert, pem.certPem);
  writeFileSync(key, pem.keyPem, { mode: 0o600 });
  return { dir, cert, key, pem, env: { ...process.env, KUBECONFIG: join(dir, 'no-cluster') } };
}

function secretJson(name: string, namespace: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { app: 'shop' }, annotations: { team: 'payments' } },
    type: 'Opaque',
    data: { password: b64('SuperSecret123'), binary: Buffer.from([0, 1, 2, 255]).toString('base64') },
    stringData: { user: 'admin', empty: '' },
  });
}

async function kubesealJson(f: Fixture, input: string, scope: SealingScope): Promise<SealedSecretObject> {
  const out = await exec(KUBESEAL, ['--cert', f.cert, '--format', 'json', '--scope', scope], { input, env: f.env });
  return JSON.parse(out.stdout) as SealedSecretObject;
}

async function recover(f: Fixture, sealed: SealedSecretObject): Promise<{ metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> }; type?: string; data: Record<string, string> }> {
  const out = await exec(KUBESEAL, ['--recovery-unseal', '--recovery-private-key', f.key, '--format', 'json'], { input: JSON.stringify(sealed), env: f.env });
  return JSON.parse(out.stdout) as Awaited<ReturnType<typeof recover>>;
}

test('SealedSecrets sealed by the real kubeseal in each scope are unsealed by Fjord', async (t) => {
  const f = await fixture(t);
  for (const scope of SCOPES) {
    const ss = await kubesealJson(f, secretJson('db-creds', 'payments'), scope);
    const out = unsealSecret([f.pem.keyPem], ss);
    assert.deepEqual(out.data, { password: b64('SuperSecret123'), binary: Buffer.from([0, 1, 2, 255]).toString('base64'), user: b64('admin'), empty: '' }, scope);
    assert.equal(out.metadata.name, 'db-creds');
    assert.equal(out.metadata.namespace, 'payments');
    assert.deepEqual(out.metadata.labels, { app: 'shop' });
    assert.equal(out.metadata.annotations?.['team'], 'payments');
    assert.equal(out.type, 'Opaque');
    // Fjord's own sealSecret produces the same object, values aside.
    const mine = sealSecret(f.pem.certPem, JSON.parse(secretJson('db-creds', 'payments')) as Parameters<typeof sealSecret>[1], scope);
    assert.deepEqual({ ...mine, spec: { ...mine.spec, encryptedData: Object.keys(mine.spec.encryptedData ?? {}).sort() } },
      { ...ss, spec: { ...ss.spec, encryptedData: Object.keys(ss.spec.encryptedData ?? {}).sort() } }, scope);
  }
});

test('SealedSecrets sealed by Fjord are recovered by kubeseal --recovery-unseal', async (t) => {
  const f = await fixture(t);
  for (const scope of SCOPES) {
    const mine = sealSecret(f.pem.certPem, JSON.parse(secretJson('db-creds', 'payments')) as Parameters<typeof sealSecret>[1], scope);
    const back = await recover(f, mine);
    assert.equal(back.metadata.name, 'db-creds');
    assert.equal(back.metadata.namespace, 'payments');
    assert.deepEqual(back.metadata.labels, { app: 'shop' });
    assert.equal(back.type, 'Opaque');
    assert.equal(Buffer.from(back.data['password'] ?? '', 'base64').toString(), 'SuperSecret123', scope);
    assert.equal(Buffer.from(back.data['user'] ?? '', 'base64').toString(), 'admin', scope);
    assert.deepEqual([...Buffer.from(back.data['binary'] ?? '', 'base64')], [0, 1, 2, 255]);
  }
});

test('a strict SealedSecret sealed for namespace a is refused when its metadata says namespace b', async (t) => {
  const f = await fixture(t);
  const ss = await kubesealJson(f, secretJson('db-creds', 'a'), 'strict');
  const moved: SealedSecretObject = { ...ss, metadata: { ...ss.metadata, namespace: 'b' } };
  assert.throws(() => unsealSecret([f.pem.keyPem], moved), (e: unknown) => {
    assert.ok(e instanceof UnsealError);
    assert.match(e.message, /no key could decrypt secret/);
    assert.doesNotMatch(e.message, /SuperSecret123|U3VwZXJTZWNyZXQxMjM|admin/);
    return true;
  });
  // kubeseal itself agrees: recovery of the moved object fails too.
  await assert.rejects(recover(f, moved), /no key could decrypt|decryption error/i);
  // And one sealed by Fjord for namespace a, moved to b, is refused by kubeseal.
  const mine = sealSecret(f.pem.certPem, JSON.parse(secretJson('db-creds', 'a')) as Parameters<typeof sealSecret>[1]);
  await assert.rejects(recover(f, { ...mine, metadata: { ...mine.metadata, namespace: 'b' } }), /no key could decrypt|decryption error/i);
});

test('kubeseal --raw values decrypt with Fjord unseal, per scope', async (t) => {
  const f = await fixture(t);
  const file = join(f.dir, 'value.txt');
  writeFileSync(file, 'raw value\nwith a newline');
  for (const scope of SCOPES) {
    const args = ['--cert', f.cert, '--raw', '--scope', scope, '--from-file', file];
    if (scope !== 'cluster-wide') args.push('--namespace', 'payments');
    if (scope === 'strict') args.push('--name', 'db-creds');
    const out = await exec(KUBESEAL, args, { env: f.env });
    const value = out.stdout.trim();
    assert.equal(unseal([f.pem.keyPem], value, encryptionLabel(scope, 'payments', 'db-creds')).toString(), 'raw value\nwith a newline', scope);
    if (scope !== 'cluster-wide') assert.throws(() => unseal([f.pem.keyPem], value, encryptionLabel(scope, 'other', 'db-creds')), UnsealError);
  }
});

test('a 4096-bit key (the Bitnami default) works in both directions, and rotation keeps old keys', async (t) => {
  const f = await fixture(t, 4096);
  const ss = await kubesealJson(f, secretJson('db-creds', 'payments'), 'strict');
  assert.equal(Buffer.from(ss.spec.encryptedData?.['password'] ?? '', 'base64').readUInt16BE(0), 512);
  const older = await fixture(t);
  const oldSealed = await kubesealJson(older, secretJson('db-creds', 'payments'), 'namespace-wide');
  // The controller holds [newest, older]: both SealedSecrets unseal.
  assert.equal(unsealSecret([f.pem.keyPem, older.pem.keyPem], ss).data['password'], b64('SuperSecret123'));
  assert.equal(unsealSecret([f.pem.keyPem, older.pem.keyPem], oldSealed).data['password'], b64('SuperSecret123'));
  const mine = sealSecret(f.pem.certPem, JSON.parse(secretJson('db-creds', 'payments')) as Parameters<typeof sealSecret>[1]);
  const back = await recover(f, mine);
  assert.equal(Buffer.from(back.data['password'] ?? '', 'base64').toString(), 'SuperSecret123');
});
