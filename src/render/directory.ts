// A plain directory of manifests (Argo CD's "Directory" source): *.yaml, *.yml and *.json files in
// sorted walk order, subdirectories only with recurse, include/exclude globs, and symlinks followed
// only while they stay inside the repository.
import { readFile, readdir, stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { join, posix } from 'node:path';
import { DocumentBudget, MAX_FILE_BYTES, MAX_TOTAL_BYTES, parseJson, parseYamlStreamYielding } from './manifests.js';
import { includeFilter, type PathMatcher } from './path-glob.js';
import { resolveLinkInside } from './secure-path.js';
import { RenderError, type AppDir, type DirectoryOptions, type RenderedObject } from './types.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/;

interface ManifestFile {
  /** Path relative to the repository root, for messages and RenderedObject.file. */
  readonly shown: string;
  /** Real path on disk. */
  readonly real: string;
  /** Size in bytes when listed (one stat per file serves the walk and the size limits). */
  readonly size: number;
}

interface Walk {
  readonly app: AppDir;
  readonly recurse: boolean;
  readonly accept: PathMatcher;
  readonly found: ManifestFile[];
}

function repoPath(app: AppDir, rel: string): string {
  return app.path === '' ? rel : posix.join(app.path, rel);
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

// Like Go's filepath.Walk (which Argo CD uses): entries sorted by name, depth first, linked
// directories not entered. A symlink anywhere in the walk must resolve inside the repository.
async function walk(w: Walk, dir: string, relDir: string): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort(byName);
  for (const entry of entries) {
    const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (w.recurse) await walk(w, full, rel);
      continue;
    }
    const real = entry.isSymbolicLink() ? await resolveLinkInside(w.app.repoRoot, full) : full;
    if (!MANIFEST_FILE.test(entry.name) || !w.accept(rel)) continue;
    const shown = repoPath(w.app, rel);
    if (real === undefined) throw new RenderError(`${shown}: symlink cannot be resolved`, shown);
    const st = await stat(real);
    if (st.isFile()) w.found.push({ shown, real, size: st.size });
  }
}

async function readManifest(file: ManifestFile): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file.real);
  } catch (e) {
    throw new RenderError(`${file.shown}: cannot be read: ${(e as Error).message}`, file.shown, { cause: e });
  }
  const text = bytes.toString('utf8');
  if (!isUtf8(bytes)) throw new RenderError(`${file.shown}: not valid UTF-8 (first invalid byte on line ${firstReplacementLine(text)})`, file.shown);
  return text.replace(/^\uFEFF/, '');
}

/** Refuses, before anything is read, a file over the per-file limit or files over the total limit. */
function checkSizes(files: readonly ManifestFile[]): void {
  let total = 0;
  for (const file of files) {
    const { size } = file;
    if (size > MAX_FILE_BYTES) throw new RenderError(`${file.shown}: file is ${size} bytes, larger than the ${MAX_FILE_BYTES} byte limit`, file.shown);
    total += size;
    if (total > MAX_TOTAL_BYTES) throw new RenderError(`${file.shown}: the manifest files up to this one total ${total} bytes, more than the ${MAX_TOTAL_BYTES} byte limit for one application`, file.shown);
  }
}

// The decoder turns each invalid byte into U+FFFD; the first one is where the file went wrong.
function firstReplacementLine(text: string): number {
  const at = text.indexOf('\uFFFD');
  return text.slice(0, at < 0 ? 0 : at).split('\n').length;
}

/** Lists the manifest files of a directory app, in the order Argo CD reads them. */
export async function listManifestFiles(app: AppDir, opts: DirectoryOptions = {}): Promise<ManifestFile[]> {
  const w: Walk = { app, recurse: opts.recurse ?? false, accept: includeFilter(opts.include, opts.exclude), found: [] };
  await walk(w, app.dir, '');
  return w.found;
}

export async function renderDirectory(app: AppDir, opts: DirectoryOptions = {}): Promise<RenderedObject[]> {
  const budget = new DocumentBudget();
  const out: RenderedObject[] = [];
  const files = await listManifestFiles(app, opts);
  checkSizes(files);
  for (const file of files) {
    const text = await readManifest(file);
    out.push(...(file.shown.endsWith('.json') ? parseJson(text, file.shown, budget) : await parseYamlStreamYielding(text, file.shown, budget)));
  }
  return out;
}
