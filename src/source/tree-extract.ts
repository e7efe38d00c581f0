// Writes the tree of one commit out of a bare repository into its own folder, atomically: into a
// temp folder next to the destination, then one rename, so a reader sees all of it or nothing and
// two extractions of the same commit end with one folder.
//
// It uses `read-tree` into a throw-away index and `checkout-index` rather than `git archive | tar`:
// no tar in between, symlinks stay symlinks, git's own path checks refuse `..` and `.git` entries and
// never write through a symlink, and .gitattributes apply as in a normal checkout (as Argo CD's).
import { chmod, lstat, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { GitRunner } from './git-cli.js';

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Removes write permission from every file below `dir` (symlinks have no mode of their own). */
async function makeFilesReadOnly(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeFilesReadOnly(path);
    else if (entry.isFile()) await chmod(path, (await lstat(path)).mode & 0o555);
  }
}

function isAlreadyThere(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EEXIST' || code === 'ENOTEMPTY';
}

export interface ExtractRequest {
  readonly gitDir: string;
  readonly sha: string;
  /** Final folder; must not exist yet (if it appears meanwhile, the other extraction wins). */
  readonly dest: string;
  /** Folder for the throw-away index. */
  readonly tmpRoot: string;
}

export async function extractTree(git: GitRunner, req: ExtractRequest): Promise<void> {
  await mkdir(dirname(req.dest), { recursive: true });
  const work = await mkdtemp(join(dirname(req.dest), `.tmp-${basename(req.dest)}-`));
  const indexDir = await mkdtemp(join(req.tmpRoot, 'index-'));
  try {
    const env = { GIT_INDEX_FILE: join(indexDir, 'index') };
    await git.run([`--git-dir=${req.gitDir}`, 'read-tree', req.sha], { cwd: indexDir, env });
    await git.run([`--git-dir=${req.gitDir}`, `--work-tree=${work}`, 'checkout-index', '--all', '--force'], { cwd: work, env });
    await makeFilesReadOnly(work);
    await chmod(work, 0o755);
    await rename(work, req.dest).catch((err: unknown) => {
      if (!isAlreadyThere(err)) throw err;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(indexDir, { recursive: true, force: true });
  }
}
