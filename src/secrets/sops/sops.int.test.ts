// Fjord's decrypter against the real sops binary: files encrypted by `sops --encrypt` with an age
// key from `age-keygen` decrypt to exactly what `sops --decrypt` prints, and tampering is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { exec } from '../../exec/exec.js';
import { binaryPath, packageRoot } from '../../dev/paths.js';
import { decryptSopsDocument, decryptSopsDocuments, isSopsEncrypted, SopsError } from './index.js';

type Doc = Record<string, unknown>;
interface AgeKey { readonly identity: string; readonly recipient: string; readonly keyFile: string }

const fixture = (name: string): string => join(packageRoot(), 'testdata', 'sops', name);

function scratch(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-sops-'));
  t.after(() => { rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

async function ageKey(dir: string, name = 'key.txt'): Promise<AgeKey> {
  const keyFile = join(dir, name);
  await exec('age-keygen', ['-o', keyFile]);
  const text = readFileSync(keyFile, 'utf8');
  const recipient = /public key: (age1[0-9a-z]+)/.exec(text)?.[1];
  assert.ok(recipient);
  return { identity: text, recipient, keyFile };
}

/** Encrypts a fixture with the real sops, returns the encrypted text and sops' own decryption (as JSON). */
async function sopsRoundTrip(dir: string, key: AgeKey, file: string, flags: readonly string[]): Promise<{ encrypted: string; expected: unknown }> {
  const env = { ...process.env, SOPS_AGE_KEY_FILE: key.keyFile };
  const enc = await exec(binaryPath('sops'), ['--encrypt', '--age', key.recipient, ...flags, fixture(file)], { env });
  const ext = file.endsWith('.json') ? 'json' : 'yaml';
  const encFile = join(dir, `enc.${ext}`);
  writeFileSync(encFile, enc.stdout);
  const dec = await exec(binaryPath('sops'), ['--decrypt', '--output-type', 'json', encFile], { env });
  return { encrypted: enc.stdout, expected: JSON.parse(dec.stdout) };
}

function parseDoc(text: string): Doc {
  return parse(text) as Doc;
}

const CASES: readonly { name: string; file: string; flags: readonly string[] }[] = [
  { name: 'default rule (unencrypted_suffix _unencrypted)', file: 'secret.yaml', flags: [] },
  { name: '--encrypted-regex ^(data|stringData)$', file: 'secret.yaml', flags: ['--encrypted-regex', '^(data|stringData)$'] },
  { name: '--unencrypted-suffix _unencrypted', file: 'secret.yaml', flags: ['--unencrypted-suffix', '_unencrypted'] },
  { name: '--encrypted-suffix word', file: 'secret.yaml', flags: ['--encrypted-suffix', 'word'] },
  { name: '--unencrypted-regex ^(metadata|kind|apiVersion)$', file: 'secret.yaml', flags: ['--unencrypted-regex', '^(metadata|kind|apiVersion)$'] },
  { name: '--mac-only-encrypted with --encrypted-regex', file: 'secret.yaml', flags: ['--mac-only-encrypted', '--encrypted-regex', '^(data|stringData)$'] },
  { name: 'JSON input', file: 'config.json', flags: [] },
  { name: 'JSON input with --encrypted-regex', file: 'config.json', flags: ['--encrypted-regex', '^stringData$'] },
];

for (const c of CASES) {
  test(`decrypts like sops --decrypt: ${c.name} (${c.file})`, async (t) => {
    const dir = scratch(t);
    const key = await ageKey(dir);
    const { encrypted, expected } = await sopsRoundTrip(dir, key, c.file, c.flags);
    assert.doesNotMatch(encrypted, /not-a-real-password|json-not-real/);
    const doc = c.file.endsWith('.json') ? JSON.parse(encrypted) as Doc : parseDoc(encrypted);
    assert.ok(isSopsEncrypted(doc));
    const out = await decryptSopsDocument(doc, { age: [key.identity] }, { file: c.file });
    assert.deepEqual(out, expected);
    assert.equal('sops' in out, false);
  });
}

test('keeps unencrypted values as they are and restores int, float and bool types', async (t) => {
  const dir = scratch(t);
  const key = await ageKey(dir);
  const { encrypted } = await sopsRoundTrip(dir, key, 'secret.yaml', ['--encrypted-regex', '^(data|stringData)$']);
  const doc = parseDoc(encrypted);
  assert.deepEqual(doc['metadata'], { name: 'db', namespace: 'payments', labels: { app: 'db' } });
  const out = await decryptSopsDocument(doc, { age: [key.identity] }, { file: 'secret.yaml' });
  const sd = out['stringData'] as Doc;
  assert.equal(sd['port'], 5432);
  assert.equal(sd['ratio'], 0.25);
  assert.equal(sd['big'], 1e22);
  assert.equal(sd['enabled'], true);
  assert.equal(sd['disabled'], false);
  assert.equal(sd['empty'], '');
  assert.equal(sd['nothing'], null);
  assert.deepEqual((sd['nested'] as Doc)['flags'], [true, false, 3]);
  assert.deepEqual(out['extra'], (parseDoc(readFileSync(fixture('secret.yaml'), 'utf8')))['extra']);
});

test('tries every identity: a key file with several keys, only one of them matching', async (t) => {
  const dir = scratch(t);
  const key = await ageKey(dir);
  const other = await ageKey(dir, 'other.txt');
  const { encrypted, expected } = await sopsRoundTrip(dir, key, 'secret.yaml', []);
  const out = await decryptSopsDocument(parseDoc(encrypted), { age: [other.identity, `# comment\n${key.identity}`] }, { file: 'secret.yaml' });
  assert.deepEqual(out, expected);
});

test('a wrong identity fails with the file and the recipients the file was encrypted for', async (t) => {
  const dir = scratch(t);
  const key = await ageKey(dir);
  const other = await ageKey(dir, 'other.txt');
  const { encrypted } = await sopsRoundTrip(dir, key, 'secret.yaml', []);
  const err = await decryptSopsDocument(parseDoc(encrypted), { age: [other.identity] }, { file: 'apps/db/secret.yaml' }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SopsError);
  assert.equal(err.file, 'apps/db/secret.yaml');
  assert.match(err.message, /apps\/db\/secret\.yaml/);
  assert.ok(err.message.includes(key.recipient));
  assert.doesNotMatch(err.message, /AGE-SECRET-KEY/);
  await assert.rejects(decryptSopsDocument(parseDoc(encrypted), { age: [] }, { file: 'x.yaml' }), /no age identities are configured/);
});

async function encryptedSecret(t: { after: (fn: () => void) => void }, flags: readonly string[] = ['--encrypted-regex', '^(data|stringData)$']): Promise<{ doc: Doc; key: AgeKey }> {
  const dir = scratch(t);
  const key = await ageKey(dir);
  const { encrypted } = await sopsRoundTrip(dir, key, 'secret.yaml', flags);
  return { doc: parseDoc(encrypted), key };
}

test('a tampered plaintext value is a MAC mismatch', async (t) => {
  const { doc, key } = await encryptedSecret(t);
  (doc['metadata'] as Doc)['name'] = 'evil';
  await assert.rejects(decryptSopsDocument(doc, { age: [key.identity] }, { file: 's.yaml' }),
    (e: unknown) => e instanceof SopsError && /^s\.yaml: MAC mismatch/.test(e.message));
});

test('swapped encrypted list values (same key path) are a MAC mismatch', async (t) => {
  const { doc, key } = await encryptedSecret(t);
  const hosts = (doc['stringData'] as Doc)['hosts'] as string[];
  (doc['stringData'] as Doc)['hosts'] = [hosts[1], hosts[0], hosts[2]];
  await assert.rejects(decryptSopsDocument(doc, { age: [key.identity] }, { file: 's.yaml' }), /s\.yaml: MAC mismatch/);
});

test('a tampered mac or lastmodified is a MAC mismatch', async (t) => {
  const { doc, key } = await encryptedSecret(t);
  const sops = doc['sops'] as Doc;
  const other = structuredClone(doc);
  sops['mac'] = String(sops['mac']).replace(/data:(.)/, (_m, ch: string) => `data:${ch === 'A' ? 'B' : 'A'}`);
  await assert.rejects(decryptSopsDocument(doc, { age: [key.identity] }, { file: 's.yaml' }), /s\.yaml: MAC mismatch/);
  (other['sops'] as Doc)['lastmodified'] = '2001-01-01T00:00:00Z';
  await assert.rejects(decryptSopsDocument(other, { age: [key.identity] }, { file: 's.yaml' }), /s\.yaml: MAC mismatch/);
});

test('a tampered ciphertext fails authentication and names the key path, not the value', async (t) => {
  const { doc, key } = await encryptedSecret(t);
  const sd = doc['stringData'] as Doc;
  sd['password'] = String(sd['password']).replace(/data:(.)/, (_m, ch: string) => `data:${ch === 'A' ? 'B' : 'A'}`);
  await assert.rejects(decryptSopsDocument(doc, { age: [key.identity] }, { file: 's.yaml' }),
    (e: unknown) => e instanceof SopsError && /stringData\.password: fails authentication/.test(e.message) && !e.message.includes('ENC['));
});

test('a value moved to another key fails authentication (the key path is authenticated)', async (t) => {
  const { doc, key } = await encryptedSecret(t);
  const sd = doc['stringData'] as Doc;
  sd['username'] = sd['password'];
  await assert.rejects(decryptSopsDocument(doc, { age: [key.identity] }, { file: 's.yaml' }), /stringData\.username: fails authentication/);
});

test('multi-document YAML: metadata from the first document, MAC over all of them', async (t) => {
  const dir = scratch(t);
  const key = await ageKey(dir);
  const env = { ...process.env, SOPS_AGE_KEY_FILE: key.keyFile };
  const enc = await exec(binaryPath('sops'), ['--encrypt', '--age', key.recipient, '--encrypted-regex', '^stringData$', fixture('multi.yaml')], { env });
  const docs = parseAllDocuments(enc.stdout).map((d) => d.toJS() as Doc);
  const out = await decryptSopsDocuments(docs, { age: [key.identity] }, { file: 'multi.yaml' });
  assert.deepEqual(out.map((d) => d['stringData']), [{ a: 'one' }, { b: 'two' }]);
  await assert.rejects(decryptSopsDocument(docs[0] ?? {}, { age: [key.identity] }, { file: 'multi.yaml' }), /MAC mismatch/);
});

test('with mac_only_encrypted an edited plaintext value still verifies, as in sops', async (t) => {
  const { doc, key } = await encryptedSecret(t, ['--mac-only-encrypted', '--encrypted-regex', '^(data|stringData)$']);
  assert.equal((doc['sops'] as Doc)['mac_only_encrypted'], true);
  (doc['metadata'] as Doc)['name'] = 'renamed';
  const out = await decryptSopsDocument(doc, { age: [key.identity] }, { file: 's.yaml' });
  assert.equal((out['stringData'] as Doc)['password'], 'not-a-real-password');
});
