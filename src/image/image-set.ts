// `fjord image set` as one function: parse the arguments, edit the kustomization, and with --commit
// or --push record the change in git. Nothing is written or committed when nothing changes.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { IMAGE_SET_EXIT, ImageSetError } from './errors.js';
import { formatImage, parseImageArguments } from './image-ref.js';
import { findKustomizationFile } from './kustomization-file.js';
import { setImages, type ImageChange } from './kustomization-images.js';
import { changedPaths, commitFile, openRepository, type CommitResult, type PushResult, type Repository } from './git-commit.js';
import { pushBranch } from './git-push.js';

export interface ImageSetOptions {
  readonly dir: string;
  readonly images: readonly string[];
  readonly commit?: boolean;
  /** Implies commit. */
  readonly push?: boolean;
  readonly message?: string;
  readonly allowDirty?: boolean;
}

export interface ImageSetResult {
  readonly file: string;
  readonly changes: readonly ImageChange[];
  readonly commit?: CommitResult;
  readonly push?: PushResult;
}

/** `image: payment-service → ghcr.io/acme/payment-service:1.4.2 (overlays/production)`. */
export function defaultMessage(changes: readonly ImageChange[], dirLabel: string): string {
  const list = changes.filter((c) => c.action !== 'unchanged').map((c) => `${c.name} → ${formatImage(c.after)}`);
  return `image: ${list.join(', ')} (${dirLabel})`;
}

async function refuseDirty(repo: Repository, dir: string): Promise<void> {
  const dirty = await changedPaths(repo);
  if (dirty.length === 0) return;
  const shown = dirty.slice(0, 5).join(', ') + (dirty.length > 5 ? ` and ${dirty.length - 5} more` : '');
  throw new ImageSetError(`--dir ${dir}: the working tree has uncommitted changes (${shown}); commit or discard them, or pass --allow-dirty to commit only the kustomization file`, IMAGE_SET_EXIT.dirtyTree);
}

export async function imageSet(o: ImageSetOptions): Promise<ImageSetResult> {
  const wanted = parseImageArguments(o.images);
  const file = findKustomizationFile(o.dir);
  const repo = o.commit || o.push ? await openRepository(o.dir) : undefined;
  const before = readFileSync(file, 'utf8');
  const { text, changes } = setImages(before, wanted, file);
  if (text === before) return { file, changes };
  if (repo && !o.allowDirty) await refuseDirty(repo, o.dir);
  writeFileSync(file, text);
  if (!repo) return { file, changes };
  const dirLabel = repo.prefix === '' ? '.' : repo.prefix.replace(/\/$/, '');
  const commit = await commitFile(repo, repo.prefix + basename(file), o.message ?? defaultMessage(changes, dirLabel));
  if (!o.push) return { file, changes, commit };
  const push = await pushBranch(repo);
  return { file, changes, commit: { ...commit, sha: push.sha }, push };
}
