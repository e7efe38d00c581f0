// Finds the kustomization file of a directory the way kustomize does: exactly one of these names.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_SET_EXIT, ImageSetError } from './errors.js';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

function kindOf(path: string): 'file' | 'dir' | 'other' | undefined {
  try {
    const s = statSync(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return undefined;
  }
}

/** The path of the kustomization file in `dir`; an ImageSetError (exit 3) when there is none or more than one. */
export function findKustomizationFile(dir: string): string {
  if (kindOf(dir) !== 'dir') throw new ImageSetError(`--dir ${dir}: no such directory`, IMAGE_SET_EXIT.kustomization);
  const found = KUSTOMIZATION_FILE_NAMES.filter((n) => kindOf(join(dir, n)) !== undefined);
  const [only, ...more] = found;
  if (only === undefined) {
    throw new ImageSetError(`--dir ${dir}: no kustomization file (looked for ${KUSTOMIZATION_FILE_NAMES.join(', ')})`, IMAGE_SET_EXIT.kustomization);
  }
  if (more.length > 0) throw new ImageSetError(`--dir ${dir}: more than one kustomization file (${found.join(', ')}); kustomize refuses that too`, IMAGE_SET_EXIT.kustomization);
  if (kindOf(join(dir, only)) !== 'file') throw new ImageSetError(`--dir ${dir}: ${only} is not a file`, IMAGE_SET_EXIT.kustomization);
  return join(dir, only);
}
