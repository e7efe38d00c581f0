import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMetadata } from './metadata.js';
import { isEncryptedPath } from './rules.js';

const base = { age: [{ recipient: 'age1abc', enc: '-----BEGIN AGE ENCRYPTED FILE-----\n-----END AGE ENCRYPTED FILE-----\n' }], lastmodified: '2024-11-12T13:33:42Z', mac: 'ENC[…]' };

test('without a rule sops encrypts everything except keys ending in _unencrypted', () => {
  const { rule } = parseMetadata(base);
  assert.equal(isEncryptedPath(rule, ['stringData', 'password']), true);
  assert.equal(isEncryptedPath(rule, ['note_unencrypted', 'x']), false);
  assert.equal(isEncryptedPath(rule, ['a', 'b_unencrypted']), false);
});

test('encrypted_regex matches any key on the path, unanchored like Go regexp', () => {
  const { rule } = parseMetadata({ ...base, encrypted_regex: '^(data|stringData)$' });
  assert.equal(isEncryptedPath(rule, ['stringData', 'nested', 'x']), true);
  assert.equal(isEncryptedPath(rule, ['metadata', 'name']), false);
  const loose = parseMetadata({ ...base, unencrypted_regex: 'meta' }).rule;
  assert.equal(isEncryptedPath(loose, ['metadata', 'name']), false);
  assert.equal(isEncryptedPath(parseMetadata({ ...base, encrypted_regex: '(?i)^DATA$' }).rule, ['data']), true);
});

test('encrypted_suffix encrypts only keys with the suffix', () => {
  const { rule } = parseMetadata({ ...base, encrypted_suffix: '_secret' });
  assert.equal(isEncryptedPath(rule, ['db_secret', 'list']), true);
  assert.equal(isEncryptedPath(rule, ['db', 'name']), false);
});

test('rejects what sops rejects or Fjord cannot do', () => {
  assert.throws(() => parseMetadata({ ...base, encrypted_regex: 'a', unencrypted_suffix: '_u' }), /more than one/);
  assert.throws(() => parseMetadata({ ...base, encrypted_comment_regex: 'x' }), /not supported/);
  assert.throws(() => parseMetadata({ key_groups: [{ age: base.age }, { age: base.age }], lastmodified: base.lastmodified, mac: base.mac }), /Shamir/);
  assert.throws(() => parseMetadata({ ...base, mac: undefined }), /invalid sops metadata/);
});

test('reads age from a single key group and lists the key sources Fjord cannot use', () => {
  const meta = parseMetadata({ key_groups: [{ age: base.age, pgp: [{ fp: 'ABC', enc: 'x' }] }], lastmodified: base.lastmodified, mac: base.mac, mac_only_encrypted: true });
  assert.deepEqual(meta.age.map((a) => a.recipient), ['age1abc']);
  assert.deepEqual(meta.otherKeySources, ['pgp (1)']);
  assert.equal(meta.macOnlyEncrypted, true);
});
