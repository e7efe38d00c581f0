// Bitnami Sealed Secrets hybrid encryption (pkg/crypto/crypto.go HybridEncrypt/HybridDecrypt),
// byte-compatible with kubeseal and the sealed-secrets controller:
//   uint16_be(len(rsaCt)) ‖ rsaCt ‖ aesCt ‖ tag
// where rsaCt = RSA-OAEP(SHA-256, MGF1-SHA-256, label) of a random 32-byte AES key, and
// aesCt ‖ tag = AES-256-GCM(key, nonce = 12 zero bytes, no AAD). The value stored in a
// SealedSecret is the padded standard base64 of those bytes.
import {
  X509Certificate,
  constants,
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

export const ANNOTATION_PREFIX = 'sealedsecrets.bitnami.com/';
export const NAMESPACE_WIDE_ANNOTATION = `${ANNOTATION_PREFIX}namespace-wide`;
export const CLUSTER_WIDE_ANNOTATION = `${ANNOTATION_PREFIX}cluster-wide`;

const SESSION_KEY_BYTES = 32;
const GCM_NONCE = Buffer.alloc(12);
const GCM_TAG_BYTES = 16;

/** Raised when a sealed value cannot be decrypted. Its message never contains plaintext or key material. */
export class UnsealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsealError';
  }
}

/** The OAEP label that binds a ciphertext to its scope: "ns/name", "ns" or "" (EncryptionLabel). */
export function encryptionLabel(scope: SealingScope, namespace: string, name: string): Buffer {
  switch (scope) {
    case 'strict':
      return Buffer.from(`${namespace}/${name}`, 'utf8');
    case 'namespace-wide':
      return Buffer.from(namespace, 'utf8');
    case 'cluster-wide':
      return Buffer.alloc(0);
  }
}

/** The scope selected by an object's annotations (SecretScope): cluster-wide wins over namespace-wide. */
export function scopeOf(annotations: Record<string, string> | undefined): SealingScope {
  if (annotations?.[CLUSTER_WIDE_ANNOTATION] === 'true') return 'cluster-wide';
  if (annotations?.[NAMESPACE_WIDE_ANNOTATION] === 'true') return 'namespace-wide';
  return 'strict';
}

function rsaPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = pem.includes('-----BEGIN CERTIFICATE-----') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
  } catch (e) {
    throw new Error(`sealing key: cannot read the public key or certificate PEM: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`sealing key: expected an RSA key, got ${String(key.asymmetricKeyType)}`);
  return key;
}

function rsaPrivateKey(pem: string, index: number): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    // Node's parse errors describe the format, never the key bytes.
    throw new Error(`private key #${index}: cannot read the PEM: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`private key #${index}: expected an RSA key, got ${String(key.asymmetricKeyType)}`);
  return key;
}

/** Encrypts `plaintext` for the RSA public key (or certificate) in `publicKeyPem`; returns padded base64. */
export function seal(publicKeyPem: string, plaintext: Buffer, label: Buffer): string {
  const pub = rsaPublicKey(publicKeyPem);
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  const rsaCt = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, sessionKey);
  if (rsaCt.length > 0xffff) throw new Error('sealing key: RSA modulus too large for the 2-byte length prefix');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(rsaCt.length, 0);
  const cipher = createCipheriv('aes-256-gcm', sessionKey, GCM_NONCE);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  sessionKey.fill(0);
  return Buffer.concat([head, rsaCt, body]).toString('base64');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeCiphertext(ciphertextB64: string): { rsaCt: Buffer; aesCt: Buffer; tag: Buffer } {
  const compact = ciphertextB64.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw new UnsealError('sealed value is not valid base64');
  const raw = Buffer.from(compact, 'base64');
  if (raw.length < 2) throw new UnsealError('sealed value is too short');
  const n = raw.readUInt16BE(0);
  if (raw.length < 2 + n + GCM_TAG_BYTES) throw new UnsealError('sealed value is truncated');
  const rest = raw.subarray(2 + n);
  return { rsaCt: raw.subarray(2, 2 + n), aesCt: rest.subarray(0, rest.length - GCM_TAG_BYTES), tag: rest.subarray(rest.length - GCM_TAG_BYTES) };
}

function tryKey(key: KeyObject, parts: { rsaCt: Buffer; aesCt: Buffer; tag: Buffer }, label: Buffer): Buffer | undefined {
  let sessionKey: Buffer;
  try {
    sessionKey = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, parts.rsaCt);
  } catch {
    return undefined;
  }
  if (sessionKey.length !== SESSION_KEY_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sessionKey, GCM_NONCE);
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.aesCt), decipher.final()]);
  } catch {
    return undefined;
  } finally {
    sessionKey.fill(0);
  }
}

/**
 * Decrypts a sealed value with whichever of `privateKeysPem` (PKCS#1 or PKCS#8 RSA keys) opens it;
 * rotation keeps old keys, so all are tried. Throws UnsealError if none can.
 */
export function unseal(privateKeysPem: readonly string[], ciphertextB64: string, label: Buffer): Buffer {
  if (privateKeysPem.length === 0) throw new UnsealError('no key could decrypt secret: no private keys given');
  const parts = decodeCiphertext(ciphertextB64);
  const keys = privateKeysPem.map((pem, i) => rsaPrivateKey(pem, i));
  for (const key of keys) {
    const plain = tryKey(key, parts, label);
    if (plain) return plain;
  }
  throw new UnsealError(`no key could decrypt secret (tried ${keys.length} key${keys.length === 1 ? '' : 's'}; wrong key, or the sealed value belongs to another namespace, name or scope)`);
}
