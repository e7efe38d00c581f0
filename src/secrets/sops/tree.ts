// Walks a document the way sops does (sops.go walkBranch): maps in key order with the key appended
// to the path, list elements with their parent's path, and every non-null leaf fed to the MAC.
import type { Hash } from 'node:crypto';
import { openValue, parseEncryptedValue, toTypedValue } from './cipher.js';
import { goValueBytes } from './go-format.js';
import { isEncryptedPath, type EncryptionRule } from './rules.js';

export interface TreeContext {
  readonly dataKey: Uint8Array;
  readonly rule: EncryptionRule;
  readonly macOnlyEncrypted: boolean;
  readonly hash: Hash;
  /** Set when a map had integer-like keys, which JS objects move to the front (breaks the MAC order). */
  reorderedKeys: boolean;
}

/** Thrown for one leaf; the caller turns it into a SopsError naming the file. */
export class LeafError extends Error {
  constructor(readonly path: readonly string[], message: string, options?: ErrorOptions) {
    super(`value at ${path.length === 0 ? '(root)' : path.join('.')}: ${message}`, options);
    this.name = 'LeafError';
  }
}

export function pathText(path: readonly string[]): string {
  return path.length === 0 ? '(root)' : `${path.join(':')}:`;
}

export function isPlainMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const INDEX_LIKE = /^(0|[1-9]\d{0,8})$/;

function walkMap(map: Record<string, unknown>, path: readonly string[], ctx: TreeContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) {
    if (INDEX_LIKE.test(k)) ctx.reorderedKeys = true;
    out[k] = walk(v, [...path, k], ctx);
  }
  return out;
}

export function walk(node: unknown, path: readonly string[], ctx: TreeContext): unknown {
  if (Array.isArray(node)) return node.map((el: unknown) => walk(el, path, ctx));
  if (isPlainMap(node)) return walkMap(node, path, ctx);
  if (node === null || node === undefined) return node;
  return isEncryptedPath(ctx.rule, path) ? decryptLeaf(node, path, ctx) : plainLeaf(node, path, ctx);
}

function plainLeaf(value: unknown, path: readonly string[], ctx: TreeContext): unknown {
  const bytes = goValueBytes(value);
  if (bytes === null) throw new LeafError(path, `unsupported ${typeof value} leaf`);
  if (!ctx.macOnlyEncrypted) ctx.hash.update(bytes);
  return value;
}

function decryptLeaf(value: unknown, path: readonly string[], ctx: TreeContext): unknown {
  if (typeof value !== 'string') throw new LeafError(path, `should be encrypted but is a plain ${typeof value}`);
  if (value === '') return value;
  let enc;
  try {
    enc = parseEncryptedValue(value);
  } catch (e) {
    throw new LeafError(path, 'should be encrypted but is not a valid ENC[…] value', { cause: e });
  }
  let plain: Buffer;
  try {
    plain = openValue(enc, ctx.dataKey, pathText(path));
  } catch (e) {
    throw new LeafError(path, 'fails authentication (tampered, or moved from another key)', { cause: e });
  }
  const typed = toLeafValue(plain, enc.type, path);
  if (enc.type === 'comment') return typed;
  const bytes = enc.type === 'str' || enc.type === 'bytes' || enc.type === 'time' ? plain : goValueBytes(typed);
  if (bytes !== null) ctx.hash.update(bytes);
  return typed;
}

function toLeafValue(plain: Buffer, type: Parameters<typeof toTypedValue>[1], path: readonly string[]): unknown {
  try {
    return toTypedValue(plain, type);
  } catch (e) {
    // The message of a conversion error never contains the plaintext.
    throw new LeafError(path, `cannot be read as ${type}`, { cause: e });
  }
}
