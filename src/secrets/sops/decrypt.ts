// Decrypts sops-encrypted documents with age identities: recover the data key, open every value
// with its key path as additional data, restore its type, and verify the MAC over all leaves.
import { createHash } from 'node:crypto';
import { openValue, parseEncryptedValue } from './cipher.js';
import { ageIdentityLines, recoverDataKey, type SopsIdentities } from './data-key.js';
import { SopsError } from './errors.js';
import { goRfc3339 } from './go-format.js';
import { KEY_SOURCES, parseMetadata, type SopsMetadata } from './metadata.js';
import { LeafError, isPlainMap, walk, type TreeContext } from './tree.js';

export interface SopsDecryptOptions {
  /** The file in Git the document came from; every error names it. */
  readonly file: string;
}

/** True when the document has a top-level `sops` map with a MAC and at least one key source. */
export function isSopsEncrypted(doc: unknown): boolean {
  if (!isPlainMap(doc)) return false;
  const sops = doc['sops'];
  if (!isPlainMap(sops) || typeof sops['mac'] !== 'string' || sops['mac'] === '') return false;
  return [...KEY_SOURCES, 'key_groups'].some((k) => Array.isArray(sops[k]) && sops[k].length > 0);
}

function metadataOf(doc: Record<string, unknown>, file: string): SopsMetadata {
  if (!isSopsEncrypted(doc)) throw new SopsError('not a sops-encrypted document (no sops map with a mac and keys)', file);
  try {
    return parseMetadata(doc['sops']);
  } catch (e) {
    throw new SopsError(e instanceof Error ? e.message : 'invalid sops metadata', file, { cause: e });
  }
}

function noKeyMessage(meta: SopsMetadata, identityCount: number): string {
  const recipients = meta.age.map((a) => a.recipient);
  const ageText = recipients.length > 0 ? `it was encrypted for the age recipients ${recipients.join(', ')}` : 'it has no age recipients';
  const others = meta.otherKeySources.length > 0 ? `; also for ${meta.otherKeySources.join(', ')}, which Fjord cannot use` : '';
  const ours = identityCount === 0 ? 'no age identities are configured' : `none of the ${identityCount} configured age identities matches`;
  return `cannot get the sops data key: ${ours}; ${ageText}${others}`;
}

async function dataKeyOf(meta: SopsMetadata, ids: SopsIdentities, file: string): Promise<Uint8Array> {
  const lines = ageIdentityLines(ids);
  let key: Uint8Array | null;
  try {
    key = await recoverDataKey(meta.age, lines);
  } catch (e) {
    throw new SopsError(`cannot get the sops data key: ${e instanceof Error ? e.message : 'age decryption failed'}`, file, { cause: e });
  }
  if (key === null) throw new SopsError(noKeyMessage(meta, lines.length), file);
  return key;
}

function storedMac(meta: SopsMetadata, dataKey: Uint8Array, file: string): string {
  const ad = goRfc3339(meta.lastmodified);
  if (ad === null) throw new SopsError(`sops.lastmodified ${JSON.stringify(meta.lastmodified)} is not RFC 3339`, file);
  try {
    return openValue(parseEncryptedValue(meta.mac), dataKey, ad).toString('utf8');
  } catch (e) {
    throw new SopsError('MAC mismatch: the stored sops.mac does not authenticate (tampered mac or lastmodified)', file, { cause: e });
  }
}

function newContext(meta: SopsMetadata, dataKey: Uint8Array): TreeContext {
  const hash = createHash('sha512');
  if (meta.macOnlyEncrypted) hash.update(createHash('sha256').update('sops').digest());
  return { dataKey, rule: meta.rule, macOnlyEncrypted: meta.macOnlyEncrypted, hash, reorderedKeys: false };
}

function walkDocuments(docs: readonly Record<string, unknown>[], ctx: TreeContext, file: string): Record<string, unknown>[] {
  try {
    return docs.map((doc) => {
      const { sops: _sops, ...rest } = doc;
      return walk(rest, [], ctx) as Record<string, unknown>;
    });
  } catch (e) {
    if (e instanceof LeafError) throw new SopsError(e.message, file, { cause: e });
    throw e;
  }
}

function checkMac(computed: string, stored: string, ctx: TreeContext, file: string): void {
  if (computed === stored) return;
  const hint = ctx.reorderedKeys ? ' (the document has integer-like keys, which JS objects reorder; decrypt from an order-preserving parse)' : '';
  throw new SopsError(`MAC mismatch: the file was modified after it was encrypted${hint}`, file);
}

/**
 * Decrypts the documents of one multi-document sops file: the metadata is read from the first
 * document, and the MAC spans all documents in order. Returns the documents without `sops`.
 */
export async function decryptSopsDocuments(docs: readonly Record<string, unknown>[], ids: SopsIdentities, opts: SopsDecryptOptions): Promise<Record<string, unknown>[]> {
  const [first] = docs;
  if (first === undefined) throw new SopsError('no documents to decrypt', opts.file);
  const meta = metadataOf(first, opts.file);
  const dataKey = await dataKeyOf(meta, ids, opts.file);
  const ctx = newContext(meta, dataKey);
  const out = walkDocuments(docs, ctx, opts.file);
  checkMac(ctx.hash.digest('hex').toUpperCase(), storedMac(meta, dataKey, opts.file), ctx, opts.file);
  return out;
}

/** Decrypts one sops-encrypted document (YAML or JSON, already parsed) and drops its `sops` map. */
export async function decryptSopsDocument(doc: Record<string, unknown>, ids: SopsIdentities, opts: SopsDecryptOptions): Promise<Record<string, unknown>> {
  const [out] = await decryptSopsDocuments([doc], ids, opts);
  if (out === undefined) throw new SopsError('no documents to decrypt', opts.file);
  return out;
}

/**
 * For documents a tool (kustomize) re-serialised: the MAC is verified on `source`, the documents of the
 * file as stored in Git, and each of `rendered` (the tool's copies, with fields reordered and perhaps
 * transformed) is opened with the same data key; every value stays authenticated with its key path.
 */
export async function decryptRenderedCopies(rendered: readonly Record<string, unknown>[], source: readonly Record<string, unknown>[], ids: SopsIdentities, opts: SopsDecryptOptions): Promise<Record<string, unknown>[]> {
  const [first] = source;
  if (first === undefined) throw new SopsError('no documents to decrypt', opts.file);
  const meta = metadataOf(first, opts.file);
  const dataKey = await dataKeyOf(meta, ids, opts.file);
  const ctx = newContext(meta, dataKey);
  walkDocuments(source, ctx, opts.file);
  checkMac(ctx.hash.digest('hex').toUpperCase(), storedMac(meta, dataKey, opts.file), ctx, opts.file);
  return walkDocuments(rendered, newContext(meta, dataKey), opts.file);
}
