// Finding, for a SOPS document that kustomize re-serialised, the file in the checkout it came from: the
// one whose documents carry the same `sops.mac` (unique per encryption). The MAC is then verified on
// that file as stored in Git, since kustomize reorders fields and the MAC depends on their order.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isPlainMap } from './tree.js';

const MANIFEST = /\.(ya?ml|json)$/i;
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_FILES = 20_000;

export interface SourceFile {
  /** Path relative to the checkout. */
  readonly path: string;
  readonly docs: Record<string, unknown>[];
}

async function* manifests(root: string, dir: string, budget: { files: number }): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === '.git' || entry.isSymbolicLink()) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* manifests(root, full, budget);
    else if (entry.isFile() && MANIFEST.test(entry.name) && budget.files-- > 0) yield full;
  }
}

function sopsMacOf(doc: unknown): string | undefined {
  if (!isPlainMap(doc) || !isPlainMap(doc['sops'])) return undefined;
  const mac = doc['sops']['mac'];
  return typeof mac === 'string' ? mac : undefined;
}

/** The documents of the checkout's file whose SOPS metadata has MAC `mac`, or undefined. */
export async function findSopsSource(repoRoot: string, mac: string): Promise<SourceFile | undefined> {
  for await (const file of manifests(repoRoot, repoRoot, { files: MAX_FILES })) {
    if ((await stat(file)).size > MAX_FILE_BYTES) continue;
    const text = await readFile(file, 'utf8');
    if (!text.includes(mac)) continue;
    const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown).filter((d): d is Record<string, unknown> => isPlainMap(d));
    if (docs.some((d) => sopsMacOf(d) === mac)) return { path: relative(repoRoot, file), docs };
  }
  return undefined;
}

export { sopsMacOf };
