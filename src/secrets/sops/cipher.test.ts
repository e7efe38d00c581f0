import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { openValue, parseEncryptedValue, toTypedValue, type SopsValueType } from './cipher.js';

function seal(plain: string, key: Buffer, ad: string, type: SopsValueType): string {
  const iv = randomBytes(32);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(ad));
  const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${c.getAuthTag().toString('base64')},type:${type}]`;
}

test('opens an ENC[] value with the data key and the key path as additional data', () => {
  const key = randomBytes(32);
  const enc = parseEncryptedValue(seal('s3cret', key, 'stringData:password:', 'str'));
  assert.equal(enc.iv.length, 32);
  assert.equal(openValue(enc, key, 'stringData:password:').toString(), 's3cret');
  assert.throws(() => openValue(enc, key, 'stringData:username:'));
  assert.throws(() => openValue(enc, randomBytes(32), 'stringData:password:'));
});

test('rejects malformed values without quoting them', () => {
  assert.throws(() => parseEncryptedValue('hunter2'), (e: unknown) => e instanceof Error && !e.message.includes('hunter2'));
  assert.throws(() => parseEncryptedValue('ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:str]'), /16 bytes/);
  assert.throws(() => parseEncryptedValue('ENC[AES256_GCM,data:AA==,iv:AA==,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:uuid]'), /unknown value type/);
});

test('restores the types sops wrote: Go ints, floats and bools', () => {
  assert.equal(toTypedValue(Buffer.from('5432'), 'int'), 5432);
  assert.equal(toTypedValue(Buffer.from('9007199254740993'), 'int'), 9007199254740993n);
  assert.equal(toTypedValue(Buffer.from('0.25'), 'float'), 0.25);
  assert.equal(toTypedValue(Buffer.from('True'), 'bool'), true);
  assert.equal(toTypedValue(Buffer.from('false'), 'bool'), false);
  assert.equal(toTypedValue(Buffer.from('5432'), 'str'), '5432');
  assert.throws(() => toTypedValue(Buffer.from('yes'), 'bool'));
  assert.throws(() => toTypedValue(Buffer.from('1.5'), 'int'));
});
