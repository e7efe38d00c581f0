// SOPS at render time: rendered documents that carry SOPS metadata are decrypted (MAC verified) in
// memory on their way to the API server; the render cache keeps them encrypted. A file's documents are
// decrypted together, as sops encrypts a multi-document file as one.
import type { KubeObject } from '../../kube/client.js';
import type { RenderedObject } from '../../render/types.js';
import type { SopsIdentities } from './data-key.js';
import { decryptRenderedCopies, decryptSopsDocuments, isSopsEncrypted } from './decrypt.js';
import { SopsError } from './errors.js';
import { findSopsSource, sopsMacOf } from './source-file.js';

/** Label value (under the flavor's secret-type label) of Secrets whose `*.agekey` entries are age identities. */
export const SOPS_SECRET_TYPE = 'sops-age';

/** The age identities in Secrets' `*.agekey` entries (Flux's layout). */
export function ageIdentitiesFrom(secrets: readonly KubeObject[]): string[] {
  return secrets.flatMap((s) => Object.entries((s['data'] ?? {}) as Record<string, string>)
    .filter(([k]) => k.endsWith('.agekey'))
    .map(([, v]) => Buffer.from(v, 'base64').toString('utf8')));
}

/**
 * A top-level `sops` map marks a document sops wrote: no Kubernetes object has that field, so one with
 * malformed metadata is refused (named) rather than applied with its ciphertext.
 */
function hasSopsMap(doc: KubeObject): boolean {
  const sops = doc['sops'];
  return typeof sops === 'object' && sops !== null && !Array.isArray(sops);
}

async function resolveIdentities(identities: SopsIdentities | (() => Promise<SopsIdentities>), file: string): Promise<SopsIdentities> {
  if (typeof identities !== 'function') return identities;
  try {
    return await identities();
  } catch (e) {
    throw new SopsError(`the file is SOPS-encrypted, but its age identities cannot be had: ${(e as Error).message}`, file, { cause: e });
  }
}

/**
 * `rendered` with every SOPS-encrypted file decrypted. `identities` may be a function, asked once and
 * only when some file is encrypted (so an Application without SOPS files never needs an age key).
 * `repoRoot` (the checkout) is where the files behind kustomize's output are found.
 */
export async function decryptRendered(rendered: readonly RenderedObject[], identities: SopsIdentities | (() => Promise<SopsIdentities>), repoRoot?: string): Promise<RenderedObject[]> {
  const byFile = new Map<string, RenderedObject[]>();
  for (const r of rendered) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const out: RenderedObject[] = [];
  let ids: SopsIdentities | undefined;
  for (const [file, docs] of byFile) {
    if (!docs.some((d) => hasSopsMap(d.object))) { out.push(...docs); continue; }
    ids ??= await resolveIdentities(identities, file);
    if (ids.age.length === 0) {
      throw new SopsError(`the file is SOPS-encrypted but no age identity is configured: add a Secret labelled with secret-type "${SOPS_SECRET_TYPE}" holding *.agekey entries to Fjord's namespace, or name one in the Application's annotation fjord.dev/sops-age-secret`, file);
    }
    if (file.startsWith('<kustomize')) { out.push(...await decryptKustomized(docs, ids, file, repoRoot)); continue; }
    const sorted = [...docs].sort((a, b) => a.index - b.index);
    const plain = await decryptSopsDocuments(sorted.map((d) => d.object), ids, { file });
    out.push(...sorted.map((d, i) => ({ ...d, object: plain[i] as KubeObject })));
  }
  return out;
}

/** kustomize's output mixes files and reorders fields: each SOPS document is verified against its file in Git. */
async function decryptKustomized(docs: readonly RenderedObject[], ids: SopsIdentities, label: string, repoRoot: string | undefined): Promise<RenderedObject[]> {
  const out: RenderedObject[] = [];
  for (const d of docs) {
    if (!hasSopsMap(d.object)) { out.push(d); continue; }
    const where = `${label} ${d.object.kind ?? 'object'} ${d.object.metadata?.['name'] ?? ''}`;
    const mac = isSopsEncrypted(d.object) ? sopsMacOf(d.object) : undefined;
    if (mac === undefined) throw new SopsError('malformed sops metadata: the sops map has no mac or no key source', where);
    const source = repoRoot === undefined ? undefined : await findSopsSource(repoRoot, mac);
    if (!source) throw new SopsError('a SOPS-encrypted document whose file is not in the repository as sops wrote it (its sops.mac matches no file), so its MAC cannot be verified', where);
    const [plain] = await decryptRenderedCopies([d.object], source.docs.filter(isSopsEncrypted), ids, { file: `${source.path} (via ${label})` });
    out.push({ ...d, object: plain as KubeObject });
  }
  return out;
}
