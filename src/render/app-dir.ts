// Resolves a request's app path to a directory inside the checkout, or says plainly why not.
import { stat } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { normalizeRelative, secureJoin } from './secure-path.js';
import { RenderError, type AppDir, type RenderRequest } from './types.js';

export async function resolveAppDir(req: Pick<RenderRequest, 'repoRoot' | 'path'>): Promise<AppDir> {
  const path = normalizeRelative(req.path);
  const dir = secureJoin(req.repoRoot, path);
  const shown = path === '' ? 'the repository root' : `path ${path}`;
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (e) {
    throw new RenderError(`${shown} does not exist in the repository`, path, { cause: e });
  }
  if (!isDir) throw new RenderError(`${shown} is not a directory`, path);
  return { repoRoot: realpathSync(req.repoRoot), path, dir };
}
