// The reference tools later work is checked against are real and run here: helm renders a chart,
// sops encrypts and decrypts with an age key, kubeseal seals offline and recovers with the private
// key, age encrypts and decrypts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { exec } from '../exec/exec.js';
import { binaryPath } from './paths.js';
import { createSelfSignedRsa } from './pki.js';

function scratch(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-tools-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

async function ageKey(dir: string): Promise<{ keyFile: string; recipient: string }> {
  const keyFile = join(dir, 'key.txt');
  await exec('age-keygen', ['-o', keyFile]);
  const recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(keyFile, 'utf8'))?.[1];
  assert.ok(recipient, 'age-keygen wrote a public key');
  return { keyFile, recipient };
}

test('helm renders a chart with values and a release name', async (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'values.yaml'), 'replicas: 1\nimage: nginx:1.27\n');
  const tpl = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  replicas: {{ .Values.replicas }}\n  template:\n    spec:\n      containers:\n        - name: web\n          image: {{ .Values.image }}\n';
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates', 'deployment.yaml'), tpl);
  const env = { ...process.env, HELM_CACHE_HOME: join(dir, '.cache'), HELM_CONFIG_HOME: join(dir, '.config'), HELM_DATA_HOME: join(dir, '.data') };
  const out = await exec(binaryPath('helm'), ['template', 'shop', dir, '--set', 'replicas=3'], { env });
  const docs = parseAllDocuments(out.stdout).map((d) => d.toJS() as { metadata: { name: string }; spec: { replicas: number } });
  assert.equal(docs.length, 1);
  const [deploy] = docs;
  assert.ok(deploy);
  assert.equal(deploy.metadata.name, 'shop-web');
  assert.equal(deploy.spec.replicas, 3);
  const version = await exec(binaryPath('helm'), ['version', '--short'], { env });
  assert.match(version.stdout, /^v4\.3\.1/);
});

test('sops encrypts a Secret for an age recipient and decrypts it with the age key', async (t) => {
  const dir = scratch(t);
  const { keyFile, recipient } = await ageKey(dir);
  const plain = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-not-real\n';
  writeFileSync(join(dir, 'secret.yaml'), plain);
  const env = { ...process.env, SOPS_AGE_KEY_FILE: keyFile };
  const enc = await exec(binaryPath('sops'), ['--encrypt', '--age', recipient, '--encrypted-regex', '^(data|stringData)$', join(dir, 'secret.yaml')], { env });
  assert.doesNotMatch(enc.stdout, /hunter2/);
  const doc = parse(enc.stdout) as { stringData: { password: string }; metadata: { name: string }; sops: { age: { recipient: string }[]; mac: string } };
  assert.match(doc.stringData.password, /^ENC\[AES256_GCM,data:/);
  assert.equal(doc.metadata.name, 'db', 'fields outside encrypted_regex stay readable');
  assert.equal(doc.sops.age[0]?.recipient, recipient);
  writeFileSync(join(dir, 'secret.enc.yaml'), enc.stdout);
  const dec = await exec(binaryPath('sops'), ['--decrypt', join(dir, 'secret.enc.yaml')], { env });
  assert.equal((parse(dec.stdout) as { stringData: { password: string } }).stringData.password, 'hunter2-not-real');
  await assert.rejects(exec(binaryPath('sops'), ['--decrypt', join(dir, 'secret.enc.yaml')], { env: { ...process.env, SOPS_AGE_KEY_FILE: '/dev/null' } }), /Failed to get the data key|could not decrypt/i);
});

test('kubeseal seals a Secret offline with a certificate, and recovers it with the private key', async (t) => {
  const dir = scratch(t);
  const key = await createSelfSignedRsa('sealed-secret', 2048);
  writeFileSync(join(dir, 'cert.pem'), key.certPem);
  writeFileSync(join(dir, 'key.pem'), key.keyPem);
  const secret = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-creds', namespace: 'payments' }, data: { password: Buffer.from('SuperSecret123').toString('base64') } });
  const env = { ...process.env, KUBECONFIG: join(dir, 'no-cluster') };
  const sealed = await exec(binaryPath('kubeseal'), ['--cert', join(dir, 'cert.pem'), '--format', 'yaml'], { input: secret, env });
  const ss = parse(sealed.stdout) as { kind: string; metadata: { name: string; namespace: string }; spec: { encryptedData: { password: string } } };
  assert.equal(ss.kind, 'SealedSecret');
  assert.equal(ss.metadata.namespace, 'payments');
  assert.ok(ss.spec.encryptedData.password.length > 300);
  assert.doesNotMatch(sealed.stdout, /SuperSecret123|U3VwZXJTZWNyZXQxMjM/);
  writeFileSync(join(dir, 'sealed.yaml'), sealed.stdout);
  const back = await exec(binaryPath('kubeseal'), ['--recovery-unseal', '--recovery-private-key', join(dir, 'key.pem'), '--format', 'json'], { input: sealed.stdout, env });
  const recovered = JSON.parse(back.stdout) as { data: { password: string } };
  assert.equal(Buffer.from(recovered.data.password, 'base64').toString(), 'SuperSecret123');
});

test('age encrypts to a recipient and only the matching identity decrypts', async (t) => {
  const dir = scratch(t);
  const { keyFile, recipient } = await ageKey(dir);
  const enc = await exec('age', ['--encrypt', '--armor', '--recipient', recipient], { input: 'the data key' });
  assert.match(enc.stdout, /^-----BEGIN AGE ENCRYPTED FILE-----/);
  const dec = await exec('age', ['--decrypt', '--identity', keyFile], { input: enc.stdout });
  assert.equal(dec.stdout, 'the data key');
  const other = await ageKey(mkdtempSync(join(dir, 'other-')));
  await assert.rejects(exec('age', ['--decrypt', '--identity', other.keyFile], { input: enc.stdout }), /no identity matched/);
});
