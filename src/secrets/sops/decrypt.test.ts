// Fixtures encrypted once by the real sops 3.13.3 (testdata/sops/*.enc.*) with a test-only age key,
// next to sops' own decryption, so this runs without the sops binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../../dev/paths.js';
import { decryptSopsDocument, isSopsEncrypted, SopsError } from './index.js';

type Doc = Record<string, unknown>;
const read = (name: string): string => readFileSync(join(packageRoot(), 'testdata', 'sops', name), 'utf8');
const ids = { age: [read('test-only-age-key.txt')] };

test('decrypts a YAML Secret encrypted by real sops to what sops --decrypt prints', async () => {
  const doc = parse(read('secret.enc.yaml')) as Doc;
  const out = await decryptSopsDocument(doc, ids, { file: 'secret.enc.yaml' });
  assert.deepEqual(out, JSON.parse(read('secret.dec.json')));
});

test('decrypts a JSON file encrypted by real sops', async () => {
  const doc = JSON.parse(read('config.enc.json')) as Doc;
  const out = await decryptSopsDocument(doc, ids, { file: 'config.enc.json' });
  assert.deepEqual(out, JSON.parse(read('config.dec.json')));
});

test('tells sops documents from plain ones', () => {
  assert.equal(isSopsEncrypted(parse(read('secret.enc.yaml'))), true);
  assert.equal(isSopsEncrypted(parse(read('secret.yaml'))), false);
  assert.equal(isSopsEncrypted({ sops: { mac: 'ENC[x]' } }), false);
  assert.equal(isSopsEncrypted({ sops: { mac: 'ENC[x]', pgp: [{ fp: 'a' }] } }), true);
  assert.equal(isSopsEncrypted([]), false);
});

test('a plain document is refused, naming the file', async () => {
  await assert.rejects(decryptSopsDocument(parse(read('secret.yaml')) as Doc, ids, { file: 'plain.yaml' }),
    (e: unknown) => e instanceof SopsError && e.file === 'plain.yaml' && /not a sops-encrypted document/.test(e.message));
});

test('an edited plaintext value is a MAC mismatch', async () => {
  const doc = parse(read('secret.enc.yaml')) as Doc;
  (doc['metadata'] as Doc)['namespace'] = 'other';
  await assert.rejects(decryptSopsDocument(doc, ids, { file: 'secret.enc.yaml' }), /secret\.enc\.yaml: MAC mismatch/);
});

test('an invalid identity string is reported without quoting it', async () => {
  const doc = parse(read('secret.enc.yaml')) as Doc;
  await assert.rejects(decryptSopsDocument(doc, { age: ['AGE-SECRET-KEY-1NOTAKEY'] }, { file: 's.yaml' }),
    (e: unknown) => e instanceof SopsError && /identity #1 is not a valid/.test(e.message) && !e.message.includes('NOTAKEY'));
});
