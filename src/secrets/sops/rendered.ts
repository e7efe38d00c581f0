// SOPS at render time: rendered documents that carry SOPS metadata are decrypted (MAC verified) in
// memory on their way to the API server; the render cache keeps them encrypted. A file's documents are
// decrypted together, as sops encrypts a multi-document file as one.
import type { KubeObject } from '../../kube/client.js';
import type { RenderedObject } from '../../render/types.js';
import type { SopsIdentities } from './data-key.js';
import { decryptSopsDocuments, isSopsEncrypted } from './decrypt.js';
import { SopsError } from './errors.js';

/** Label value (under the flavor's secret-type label) of Secrets whose `*.agekey` entries are age identities. */
export const SOPS_SECRET_TYPE = 'sops-age';

/** The age identities in Secrets' `*.agekey` entries (Flux's layout). */
export function ageIdentitiesFrom(secrets: readonly KubeObject[]): string[] {
  return secrets.flatMap((s) => Object.entries((s['data'] ?? {}) as Record<string, string>)
    .filter(([k]) => k.endsWith('.agekey'))
    .map(([, v]) => Buffer.from(v, 'base64').toString('utf8')));
}

export async function decryptRendered(rendered: readonly RenderedObject[], ids: SopsIdentities): Promise<RenderedObject[]> {
  const byFile = new Map<string, RenderedObject[]>();
  for (const r of rendered) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const out: RenderedObject[] = [];
  for (const [file, docs] of byFile) {
    if (!docs.some((d) => isSopsEncrypted(d.object))) { out.push(...docs); continue; }
    if (ids.age.length === 0) {
      throw new SopsError(`the file is SOPS-encrypted but no age identity is configured: add a Secret labelled with secret-type "${SOPS_SECRET_TYPE}" holding *.agekey entries to Fjord's namespace`, file);
    }
    const sorted = [...docs].sort((a, b) => a.index - b.index);
    const plain = await decryptSopsDocuments(sorted.map((d) => d.object), ids, { file });
    out.push(...sorted.map((d, i) => ({ ...d, object: plain[i] as KubeObject })));
  }
  return out;
}
