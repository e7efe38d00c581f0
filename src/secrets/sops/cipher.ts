// sops value encryption (aes/cipher.go): ENC[AES256_GCM,data:…,iv:…,tag:…,type:…], AES-256-GCM with
// the 32-byte data key, the IV length taken from the value, and the key path as additional data.
import { createDecipheriv } from 'node:crypto';

export type SopsValueType = 'str' | 'int' | 'float' | 'bool' | 'bytes' | 'time' | 'comment';

export interface EncryptedValue {
  readonly data: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly type: SopsValueType;
}

const ENC_RE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]$/s;
const TYPES: readonly SopsValueType[] = ['str', 'int', 'float', 'bool', 'bytes', 'time', 'comment'];

function isValueType(t: string): t is SopsValueType {
  return (TYPES as readonly string[]).includes(t);
}

/** Parses an ENC[…] string; throws a plain Error (without the value) when it is malformed. */
export function parseEncryptedValue(text: string): EncryptedValue {
  const m = ENC_RE.exec(text);
  if (!m) throw new Error('not an ENC[AES256_GCM,…] value');
  const [, data = '', iv = '', tag = '', type = ''] = m;
  if (!isValueType(type)) throw new Error(`unknown value type ${JSON.stringify(type)}`);
  const tagBytes = Buffer.from(tag, 'base64');
  if (tagBytes.length !== 16) throw new Error('authentication tag is not 16 bytes');
  return { data: Buffer.from(data, 'base64'), iv: Buffer.from(iv, 'base64'), tag: tagBytes, type };
}

/** AES-256-GCM open; throws when the key, the additional data or the ciphertext do not match. */
export function openValue(value: EncryptedValue, dataKey: Uint8Array, additionalData: string): Buffer {
  const d = createDecipheriv('aes-256-gcm', dataKey, value.iv, { authTagLength: 16 });
  d.setAAD(Buffer.from(additionalData, 'utf8'));
  d.setAuthTag(value.tag);
  return Buffer.concat([d.update(value.data), d.final()]);
}

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function parseGoBool(s: string): boolean {
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  throw new Error('bool value is not a Go boolean');
}

function parseGoInt(s: string): number | bigint {
  if (!/^[+-]?\d+$/.test(s)) throw new Error('int value is not a decimal integer');
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

function parseGoFloat(s: string): number {
  const n = Number(s);
  if (s.trim() === '' || (Number.isNaN(n) && !/^[+-]?nan$/i.test(s))) throw new Error('float value is not a number');
  return n;
}

/** Converts decrypted bytes back to the value sops encrypted (strings for str, bytes and time). */
export function toTypedValue(plain: Buffer, type: SopsValueType): unknown {
  const s = plain.toString('utf8');
  switch (type) {
    case 'int': return parseGoInt(s);
    case 'float': return parseGoFloat(s);
    case 'bool': return parseGoBool(s);
    case 'str': case 'bytes': case 'time': case 'comment': return s;
  }
}
