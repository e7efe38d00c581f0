// Recovers the 32-byte sops data key from the armored age files in `sops.age[].enc`
// (age/keysource.go), with the first identity that matches any stanza.
import { Decrypter, armor } from 'age-encryption';
import type { AgeStanza } from './metadata.js';

export interface SopsIdentities {
  /** age identities, `AGE-SECRET-KEY-1…` (or `AGE-SECRET-KEY-PQ-1…`) lines. */
  readonly age: readonly string[];
}

/** Key files hold comments and blank lines besides keys; keep only the key lines. */
export function ageIdentityLines(ids: SopsIdentities): string[] {
  return ids.age.flatMap((text) => text.split(/\r?\n/))
    .map((l) => l.trim())
    .filter((l) => l.startsWith('AGE-SECRET-KEY-'));
}

function isNoMatch(e: unknown): boolean {
  return e instanceof Error && /no identity matched/i.test(e.message);
}

async function tryStanza(decrypter: Decrypter, stanza: AgeStanza): Promise<Uint8Array | null> {
  try {
    return await decrypter.decrypt(armor.decode(stanza.enc));
  } catch (e) {
    if (isNoMatch(e)) return null;
    throw new Error(`age file for ${stanza.recipient} cannot be decrypted`, { cause: e });
  }
}

/**
 * Returns the data key, or null when no identity matches any recipient. Throws when a matching
 * stanza is malformed or the key is not 32 bytes.
 */
export async function recoverDataKey(stanzas: readonly AgeStanza[], identities: readonly string[]): Promise<Uint8Array | null> {
  if (identities.length === 0 || stanzas.length === 0) return null;
  const decrypter = new Decrypter();
  identities.forEach((id, i) => {
    try {
      decrypter.addIdentity(id);
    } catch {
      // No cause: the library's message could quote the key.
      throw new Error(`age identity #${i + 1} is not a valid age secret key`);
    }
  });
  for (const stanza of stanzas) {
    const key = await tryStanza(decrypter, stanza);
    if (key === null) continue;
    if (key.length !== 32) throw new Error(`data key from ${stanza.recipient} is ${key.length} bytes, not 32`);
    return key;
  }
  return null;
}
