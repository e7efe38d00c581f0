// Before kustomize runs: follow the kustomization files an app reaches through resources, bases,
// components, generators and transformers, and refuse what would leave the repository. A remote base
// (a URL or a git address) would make kustomize fetch from anywhere: past the project's sourceRepos,
// from inside the controller's network (SSRF), with no pinning. A local base reached through '..'
// must hold no symlink out of the repository either, since kustomize follows it.
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { redactUrl } from '../source/repo-url.js';
import { assertSymlinksInside } from './secure-path.js';
import { RenderError } from './types.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const REFERENCE_FIELDS = ['resources', 'bases', 'components', 'generators', 'transformers', 'validators'];
/** More kustomization directories than any real overlay tree reaches. */
const MAX_KUSTOMIZATIONS = 1_000;

/** `https://…`, `ssh://…`, `git::…`, `git@host:…`, `github.com/org/repo…`: what kustomize would fetch (asked only for entries that are not local directories). */
export function looksRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^[a-z][a-z0-9+.-]*::/i.test(entry)
    || /^[^/\s@]+@[^/\s:]+:/.test(entry) || /^([a-z0-9-]+\.)+[a-z]{2,}(:\d+)?\//i.test(entry);
}

function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`));
}

async function kustomizationIn(dir: string): Promise<string | undefined> {
  const names = new Set(await readdir(dir));
  const name = KUSTOMIZATION_FILES.find((f) => names.has(f));
  return name === undefined ? undefined : join(dir, name);
}

/** The string entries of the reference fields; undefined when the file does not parse (kustomize will say why). */
async function references(file: string): Promise<string[] | undefined> {
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'), { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return [];
  const fields = doc as Record<string, unknown>;
  return REFERENCE_FIELDS.flatMap((f): unknown[] => { const v = fields[f]; return Array.isArray(v) ? v : []; }).filter((e): e is string => typeof e === 'string');
}

/** The real path of a directory entry refers to, following symlinks; undefined when it is not one. */
async function realDirectory(p: string): Promise<string | undefined> {
  try {
    return (await stat(p)).isDirectory() ? await realpath(p) : undefined;
  } catch {
    return undefined;
  }
}

/** Local directories the kustomization in `dir` refers to; throws on a remote reference. */
async function localBases(root: string, dir: string): Promise<string[]> {
  const file = await kustomizationIn(dir);
  if (file === undefined) return [];
  const shown = relative(root, file);
  const out: string[] = [];
  for (const entry of (await references(file)) ?? []) {
    const local = await realDirectory(resolve(dir, entry));
    if (local !== undefined && !isInside(root, local)) throw new RenderError(`${shown}: base ${entry} resolves outside the repository`, shown);
    if (local !== undefined) out.push(local);
    else if (looksRemote(entry)) throw new RenderError(`${shown}: remote base ${redactUrl(entry)} is not allowed; bases must be in the repository`, shown);
  }
  return out;
}

/** Walks every kustomization reachable from `appDir` (all inside the real `root`); throws RenderError on the first escape. */
export async function assertKustomizationsLocal(root: string, appDir: string): Promise<void> {
  const seen = new Set<string>();
  const pending = [appDir];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    if (seen.has(dir)) continue;
    seen.add(dir);
    if (seen.size > MAX_KUSTOMIZATIONS) throw new RenderError(`${relative(root, appDir) || '.'}: reaches more than ${MAX_KUSTOMIZATIONS} kustomization directories`, relative(root, appDir));
    if (dir !== appDir) await assertSymlinksInside(root, dir);
    pending.push(...await localBases(root, dir));
  }
}
