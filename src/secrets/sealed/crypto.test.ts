// Pure tests of the Sealed Secrets value format: labels per scope, round trips, refusal of a wrong
// label or key, key rotation, and a fixed vector produced by the real kubeseal v0.36.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { UnsealError, encryptionLabel, scopeOf, seal, unseal } from './crypto.js';

function rsa(bits = 2048, pkcs1 = false): { pub: string; priv: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    pub: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    priv: privateKey.export({ type: pkcs1 ? 'pkcs1' : 'pkcs8', format: 'pem' }).toString(),
  };
}

const keyA = rsa();
const keyB = rsa(2048, true);

test('encryptionLabel: strict "ns/name", namespace-wide "ns", cluster-wide empty', () => {
  assert.equal(encryptionLabel('strict', 'pay', 'db').toString(), 'pay/db');
  assert.equal(encryptionLabel('namespace-wide', 'pay', 'db').toString(), 'pay');
  assert.equal(encryptionLabel('cluster-wide', 'pay', 'db').length, 0);
});

test('scopeOf reads the annotations; cluster-wide wins; only "true" counts', () => {
  assert.equal(scopeOf(undefined), 'strict');
  assert.equal(scopeOf({}), 'strict');
  assert.equal(scopeOf({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' }), 'namespace-wide');
  assert.equal(scopeOf({ 'sealedsecrets.bitnami.com/cluster-wide': 'true' }), 'cluster-wide');
  assert.equal(scopeOf({ 'sealedsecrets.bitnami.com/cluster-wide': 'true', 'sealedsecrets.bitnami.com/namespace-wide': 'true' }), 'cluster-wide');
  assert.equal(scopeOf({ 'sealedsecrets.bitnami.com/cluster-wide': 'false', 'sealedsecrets.bitnami.com/namespace-wide': 'yes' }), 'strict');
});

test('seal → unseal round trip for each scope, including empty and binary values', () => {
  for (const scope of ['strict', 'namespace-wide', 'cluster-wide'] as const) {
    const label = encryptionLabel(scope, 'pay', 'db');
    for (const plain of [Buffer.from('hunter2-not-real'), Buffer.alloc(0), Buffer.from([0, 255, 1, 254, 10])]) {
      const ct = seal(keyA.pub, plain, label);
      assert.deepEqual(unseal([keyA.priv], ct, label), plain);
    }
  }
});

test('layout: 2-byte big-endian RSA length ‖ RSA-OAEP(SHA-256, label) of a 32-byte key ‖ ct ‖ 16-byte tag', () => {
  const label = Buffer.from('pay/db');
  const raw = Buffer.from(seal(keyA.pub, Buffer.from('14 bytes here!'), label), 'base64');
  assert.equal(raw.readUInt16BE(0), 256);
  assert.equal(raw.length, 2 + 256 + 14 + 16);
  const sessionKey = privateDecrypt({ key: keyA.priv, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, raw.subarray(2, 258));
  assert.equal(sessionKey.length, 32);
});

test('two seals of the same value differ (fresh session key)', () => {
  const label = encryptionLabel('strict', 'pay', 'db');
  assert.notEqual(seal(keyA.pub, Buffer.from('x'), label), seal(keyA.pub, Buffer.from('x'), label));
});

test('a wrong label (other namespace, other name, other scope) is refused without leaking the value', () => {
  const ct = seal(keyA.pub, Buffer.from('hunter2-not-real'), encryptionLabel('strict', 'pay', 'db'));
  for (const label of [encryptionLabel('strict', 'other', 'db'), encryptionLabel('strict', 'pay', 'db2'), encryptionLabel('namespace-wide', 'pay', 'db'), encryptionLabel('cluster-wide', 'pay', 'db')]) {
    assert.throws(() => unseal([keyA.priv], ct, label), (e: unknown) => {
      assert.ok(e instanceof UnsealError);
      assert.match(e.message, /no key could decrypt/);
      assert.doesNotMatch(e.message, /hunter2|aHVudGVyMi/);
      return true;
    });
  }
});

test('key rotation: every key is tried, in any order; a foreign key is refused', () => {
  const label = encryptionLabel('namespace-wide', 'pay', 'db');
  const old = seal(keyB.pub, Buffer.from('sealed with the old key'), label);
  const fresh = seal(keyA.pub, Buffer.from('sealed with the new key'), label);
  assert.equal(unseal([keyA.priv, keyB.priv], old, label).toString(), 'sealed with the old key');
  assert.equal(unseal([keyA.priv, keyB.priv], fresh, label).toString(), 'sealed with the new key');
  assert.equal(unseal([keyB.priv, keyA.priv], fresh, label).toString(), 'sealed with the new key');
  assert.throws(() => unseal([keyA.priv], old, label), /no key could decrypt secret \(tried 1 key;/);
  assert.throws(() => unseal([], old, label), UnsealError);
});

test('malformed sealed values fail with UnsealError', () => {
  const label = Buffer.alloc(0);
  assert.throws(() => unseal([keyA.priv], 'not base64!!', label), /not valid base64/);
  assert.throws(() => unseal([keyA.priv], 'AAEA', label), /truncated/);
  assert.throws(() => unseal([keyA.priv], '', label), /too short/);
  const raw = Buffer.from(seal(keyA.pub, Buffer.from('abc'), label), 'base64');
  raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
  assert.throws(() => unseal([keyA.priv], raw.toString('base64'), label), /no key could decrypt/);
});

test('a public key that is not RSA is refused', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  assert.throws(() => seal(ec, Buffer.from('x'), Buffer.alloc(0)), /expected an RSA key/);
});

// Produced by the real kubeseal v0.36.1 (`--cert cert.pem --format json`) for Secret pay/db with
// data.p = "hello" (strict) and stringData.s = "world" (--scope cluster-wide). Test-only key.
const KUBESEAL_KEY = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC5UPFbY91xUgRp',
  'HUejJQz9MdY+Hew8iyEkcLWT7Ns6hFGGAlcV6Fttr8R06yH693CxcYpbvhU2uQRz',
  'FLoysNyv1NAg9jZkcoy9gRAH/YjndMZOTIPByIBq2imjjUYAS2dSZNHV93666Vbv',
  'W7oJgp+YW8f/ZPdzAHIrnQUSn5uHesO9QEv/VEVJJvP9gauF7m9S3MJQe6m5kE8b',
  'o9TpashlOe+aIWO0vsDObaAWFwU2lp81vZWOcSdNxGrGJp8nvdPhfQxC9U5xmqok',
  '7CfpJaPUbh4KGWzqG+H3+d6DfeKzamN0NzbNdu2oHubqet5mF3KbAZVk0EEnUJ8n',
  'RtL15pqDAgMBAAECggEALx5hF/sm6XLQs0diGR3JFTHQRyAFmolHpoPP72pIfbL6',
  'JYg/y062vId1/MJyc+TpbvyvEM+ehjj55CbvhwcIPd7vAoqH3vdvSJnh0R5Kaot7',
  'BpqW37VSzZhmAPNhSp7hiQYggnZ47x54X8jjXxqq6KrhidMKxd9lqCg3C3qwqXwD',
  'OLkr8ngkLfICOEBwWsXlNt4AjKHOhDRhLLP3Kxb/Mu/Owy9lQF7Gl1xEAX7VLzFg',
  'srtxcg3rLt2ea4OmcmYM0uxTDdTxEZbm56SHxRlH4CnxupWmQRaRSxqGigtLARZg',
  'wcDkM+SxOYN2UlvbSfVc/ouHyJ5OLa2lI2S7x3BbTQKBgQDaTJo+tcjli4k/GbyW',
  'r8FL0Rfe64OIZL9VvoXz7/J+HaANyPKWYkKLpEHWSmBX1pMjCvddyHWL+4wPHiIa',
  '4cTrRkldN51MZ5b7WGaaXN28OFJAta/4WgdF2YQHEnVP5AjDjE4yf6ngLFIiDlBw',
  'fRWS41LOe0v8rDeylrGjqunKbwKBgQDZUhnivM2ppn3w9GnDN8XqWlJMKt5w7SoO',
  'zSn8nI1q25eNMsIKjgImXj7wsM7TMrr/LDVjjsc9Eq6h/Ff3+nil2tM8V6TPCKPN',
  'jA9UNDJhtRtpuyNRgjfco/9iMscgb1tzfVvBZN651E96rtO4AC4Q6TZfbN5GN5R9',
  'qMYNMTjLLQKBgQCrF+DIh6eWKV//YceKfuPL7Wx9Hi9wJi5EINhSEV0IdWWtiDKB',
  'pS+szKeBMbgDAD0/+OdZzLQ8a4Ihkyd91DeHgwYbFmylpocSJf38vA5Z5/anmv75',
  'cm5C07GD7XaekAZCZWQgdiiJd5ND994Z3B+diaesB7zNo5jf0vYVZe5o5wKBgQDZ',
  'BoyjSjl4urP69ZrJQeF8cEbPmeAalj3yGiFcDFuN404tzArLz5WGC4h/hZKGh5sH',
  'SXbnvaZq70VGr2KKWrAxsZ5SHJSRzOcIVl7YkGff+6UsqZ5Tv99ZkM1xm5QQaCTD',
  '6OTA9aMXoVbeBcmZb1SRvtR155ryNH8uHmXqtsUo4QKBgA5YXw/wzu3IsLrTNEBE',
  'Dp0Mowzf7uPsp1EoQJPjA1RjnJRuQTYV4hh8TSfkJTal8JnT6lZUDvS8U+w6oCVx',
  '2Ud6tmYUCKOtXWBczSpNu4gFVUHcLb78m3ydvmTYA8/ScHfaSiNP/RPIzy15nqpE',
  'jmA7SvoC1OvPuHsuUHQlUBGq',
  '-----END PRIVATE KEY-----',
].join('\n');
const KUBESEAL_STRICT_P = 'AQAKo2ExLNz8gjeZFNEyLw6YYo3WzzSH6rHhwCWbTUN4/XgGq3zJNDQmdYaj8gqLeyhEANQ71HW/h9aNPcDR6C8x356jpJZzOaf0jYYON6GlkcnhsRtQMWzRLIMk8ytT1uR+5oMjcx7xLtllIS0utl0vP5xKB6dfkGS474qu4OnLURQ2M56RbaU0jl9DxP1S5BcHfSLJr2co5SkreQdR+h9hdsNpegsh/YLt8+E8FUd5HkNU5z0o0PZ3VE+8A7fDkhUVPnp5yykHQm+BQ4Qtsb1OwaRwQz4GLfiv/2fDHWeDaR0EqxxzFwYi0XOhN/JtLWN4CzCnSF9oNoGcTHSPsoTl5hUAYweIBJGZxz2nFQ/0W68pgZxQ';
const KUBESEAL_CLUSTER_S = 'AQAVlGPPcRejaCeiFHKPJtWRtGwT5bqLaVJwPbKPqljxVA8mY51sNkqmWd663BCNWHaJbHbUMRcGjiJMNpxGjGwTH16oVY4kVWjKSP3KzDsqJ7rMgZdy4tgk1gb7XIw8EpfPeSF70+9WMoTL93pZIlyH2KukGKQSxJi6v47GYeGCaLAs0P842nbFNdj0i7y0nVhFflbHSz7g3r5k6sSswOB3IMbYcsEGkI+SnsyevW7+jWCQ/79w8Ztg005R8CAn0NEIFI3wE4nYTPYqUJSVOp+AgGw3NpXCU2XL+Z7rDllu80cNSZTZhhiPKGyeJ7pt5WCp20f7SOIg2m/RlzeMCR/WlWItHoaHD/4ZOpgF7D8yA7oiU3LO';

test('fixed vectors from the real kubeseal decrypt, with the old key listed second', () => {
  assert.equal(unseal([keyA.priv, KUBESEAL_KEY], KUBESEAL_STRICT_P, encryptionLabel('strict', 'pay', 'db')).toString(), 'hello');
  assert.equal(unseal([KUBESEAL_KEY], KUBESEAL_CLUSTER_S, encryptionLabel('cluster-wide', 'pay', 'db')).toString(), 'world');
  assert.throws(() => unseal([KUBESEAL_KEY], KUBESEAL_STRICT_P, encryptionLabel('strict', 'prod', 'db')), UnsealError);
});
