// Re-encryption with the newest key (Bitnami's /v1/rotate, kubeseal --re-encrypt) and the decryptability
// check behind /v1/verify (kubeseal --validate). Both work on the values alone: spec.template is copied,
// never rendered, so these unauthenticated endpoints cannot be used to reveal a value through a template.
import { parse } from 'yaml';
import { encryptionLabel, scopeOf, seal, unseal, UnsealError } from './crypto.js';
import type { SealedSecretObject } from './sealed-secret.js';

/** Raised for a request body that is not a single SealedSecret. */
export class BadSealedSecretError extends Error {}

/** Parses a SealedSecret sent as JSON or YAML (one document, as Bitnami's controller accepts). */
export function parseSealedSecret(text: string): SealedSecretObject {
  let obj: unknown;
  try {
    obj = parse(text);
  } catch (e) {
    throw new BadSealedSecretError(`not a JSON or YAML SealedSecret: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
  const o = obj as Partial<SealedSecretObject> | null;
  if (!o || typeof o !== 'object' || o.kind !== 'SealedSecret' || o.apiVersion !== 'bitnami.com/v1alpha1') {
    throw new BadSealedSecretError('expected one object of apiVersion bitnami.com/v1alpha1, kind SealedSecret');
  }
  if (!o.metadata?.name || typeof o.spec !== 'object') throw new BadSealedSecretError('the SealedSecret lacks metadata.name or spec');
  return o as SealedSecretObject;
}

function labelOf(ss: SealedSecretObject): Buffer {
  return encryptionLabel(scopeOf(ss.metadata.annotations), ss.metadata.namespace ?? '', ss.metadata.name);
}

function describe(ss: SealedSecretObject): string {
  return `SealedSecret ${ss.metadata.namespace ?? ''}/${ss.metadata.name}`;
}

/** Throws UnsealError naming the first value no key opens (for the object's own scope). */
export function checkDecryptable(privateKeysPem: readonly string[], ss: SealedSecretObject): void {
  const label = labelOf(ss);
  const entries = Object.entries(ss.spec.encryptedData ?? {});
  if (entries.length === 0) throw new UnsealError(`${describe(ss)}: spec.encryptedData is empty`);
  for (const [key, value] of entries) {
    try {
      unseal(privateKeysPem, value, label);
    } catch (e) {
      if (e instanceof UnsealError) throw new UnsealError(`${describe(ss)}: cannot unseal ${JSON.stringify(key)}: ${e.message}`);
      throw e;
    }
  }
}

/** `ss` with every encryptedData value decrypted and sealed again for `certPem` (same scope); the rest unchanged. */
export function reencryptSealedSecret(privateKeysPem: readonly string[], certPem: string, ss: SealedSecretObject): SealedSecretObject {
  checkDecryptable(privateKeysPem, ss);
  const label = labelOf(ss);
  const encryptedData: Record<string, string> = {};
  for (const [key, value] of Object.entries(ss.spec.encryptedData ?? {})) {
    encryptedData[key] = seal(certPem, unseal(privateKeysPem, value, label), label);
  }
  const { status: _status, ...rest } = ss;
  return { ...rest, spec: { ...ss.spec, encryptedData } };
}
