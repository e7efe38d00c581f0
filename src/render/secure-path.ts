// The one way a path from a spec becomes a path on disk: relative, no '..' out of the root, and no
// symlink (at any depth) that resolves outside it. This is where Argo CD had its path-traversal CVEs
// (Helm value files, symlinked manifests), so every renderer goes through here.
import { lstatSync, realpathSync } from 'node:fs';
import { readdir, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { RenderError } from './types.js';

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function errnoCode(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Normalizes a spec path ('', '.', './a/', 'a//b') to 'a/b' form, '' for the root; refuses absolute paths and '..' escapes. */
export function normalizeRelative(path: string): string {
  if (path.includes('\0')) throw new RenderError(`path ${JSON.stringify(path)} contains a NUL byte`, path);
  if (isAbsolute(path)) throw new RenderError(`path ${path} is absolute; only paths inside the repository are allowed`, path);
  const n = normalize(path === '' ? '.' : path).replace(/\/+$/, '');
  if (n === '..' || n.startsWith('../')) throw new RenderError(`path ${path} escapes the repository`, path);
  return n === '.' ? '' : n;
}

function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch (e) {
    throw new RenderError(`repository root ${root} cannot be read: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** The real path of the longest existing prefix of `full`, with the rest appended unchanged. */
function resolveExisting(full: string, shown: string): string {
  let head = full;
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail.reverse());
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT' && errnoCode(e) !== 'ENOTDIR') throw new RenderError(`path ${shown} cannot be resolved: ${(e as Error).message}`, shown, { cause: e });
      if (existsAsLink(head)) throw new RenderError(`path ${shown} contains a symlink that cannot be resolved`, shown, { cause: e });
      tail.push(basename(head));
      head = dirname(head);
    }
  }
}

function existsAsLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Joins `relativePath` onto `root` and returns the real path, refusing absolute paths, '..' escapes
 * and symlinks that resolve outside the (real) root. A path that does not exist yet is allowed; its
 * existing part is still checked.
 */
export function secureJoin(root: string, relativePath: string): string {
  const rel = normalizeRelative(relativePath);
  const base = realRoot(root);
  const resolved = resolveExisting(join(base, rel), relativePath);
  if (!isInside(base, resolved)) throw new RenderError(`path ${relativePath} resolves outside the repository (through a symlink)`, relativePath);
  return resolved;
}

/** Refuses any symlink under `dir` (recursively, not following linked directories) that resolves outside `root`. */
export async function assertSymlinksInside(root: string, dir: string): Promise<void> {
  const base = await realpath(root);
  const pending = [dir];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isSymbolicLink()) await resolveLinkInside(base, full);
    }
  }
}

/**
 * The real target of the symlink `link`, refused when it lies outside `realRootPath`; undefined for
 * a dangling link, which reads nothing today but must not point outside once its target appears.
 */
export async function resolveLinkInside(realRootPath: string, link: string): Promise<string | undefined> {
  const shown = relative(realRootPath, link);
  let target: string | undefined;
  try {
    target = await realpath(link);
  } catch {
    target = undefined;
  }
  const checked = target ?? resolve(dirname(link), await readlink(link));
  if (!isInside(realRootPath, checked)) throw new RenderError(`${shown}: symlink resolves outside the repository`, shown);
  return target;
}
