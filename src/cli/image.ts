// `fjord image set`: the CI hand-off. Sets image names, tags and digests in a kustomization (like
// `kustomize edit set image`, keeping the file's formatting and comments) and optionally commits and
// pushes the change. Failures print one line and exit with a code a script can act on (see
// src/image/errors.ts): 2 bad argument, 3 kustomization, 4 not a repository, 5 dirty tree, 6 push race lost.
import { Command, Option } from 'commander';
import { ImageSetError } from '../image/errors.js';
import { formatImage } from '../image/image-ref.js';
import { imageSet, type ImageSetResult } from '../image/image-set.js';
import type { ImageChange } from '../image/kustomization-images.js';
import { describeError } from './errors.js';

interface SetOptions {
  dir: string;
  commit?: boolean;
  push?: boolean;
  message?: string;
  allowDirty?: boolean;
  output: 'text' | 'json';
}

function changeLine(c: ImageChange): string {
  if (c.action === 'unchanged') return `${c.name}: unchanged (${formatImage(c.after)})`;
  if (c.action === 'added' || !c.before) return `${c.name}: added ${formatImage(c.after)}`;
  return `${c.name}: ${formatImage(c.before)} → ${formatImage(c.after)}`;
}

function textReport(r: ImageSetResult, committing: boolean): string {
  const lines = r.changes.map(changeLine);
  if (r.commit) lines.push(`committed ${r.commit.sha} ${r.commit.message}`);
  else if (r.changes.every((c) => c.action === 'unchanged')) lines.push(`${r.file} unchanged${committing ? '; nothing to commit' : ''}`);
  if (r.push) lines.push(`pushed ${r.push.branch} to ${r.push.remote} ${r.push.ref}${r.push.rebased ? ' (the remote had moved: rebased onto it first)' : ''}`);
  return `${lines.join('\n')}\n`;
}

function jsonReport(r: ImageSetResult): string {
  return `${JSON.stringify({
    file: r.file,
    changed: r.changes.some((c) => c.action !== 'unchanged'),
    images: r.changes.map((c) => ({ name: c.name, action: c.action, before: c.before ? formatImage(c.before) : null, after: formatImage(c.after), entry: c.after })),
    commit: r.commit ?? null,
    push: r.push ?? null,
  }, null, 2)}\n`;
}

function setCommand(): Command {
  return new Command('set')
    .description('set images in a kustomization (NAME=NEWNAME[:TAG][@DIGEST], NAME:TAG[@DIGEST], NAME@DIGEST; * keeps a part), optionally commit and push')
    .argument('<images...>', 'one or more image settings, e.g. payment-service=ghcr.io/acme/payment-service:1.4.2')
    .option('--dir <path>', 'the directory holding kustomization.yaml', '.')
    .option('--commit', 'commit the kustomization file (only it) when it changed')
    .option('--push', 'commit, then push the current branch to its upstream (or origin), rebasing once if the remote moved')
    .option('-m, --message <message>', 'the commit message (default: image: NAME → IMAGE (DIR))')
    .option('--allow-dirty', 'commit even when other files in the working tree have uncommitted changes')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (images: string[], o: SetOptions) => {
      try {
        const committing = o.commit === true || o.push === true;
        const r = await imageSet({ dir: o.dir, images, commit: o.commit === true, push: o.push === true, allowDirty: o.allowDirty === true, ...(o.message !== undefined ? { message: o.message } : {}) });
        process.stdout.write(o.output === 'json' ? jsonReport(r) : textReport(r, committing));
      } catch (e) {
        if (!(e instanceof ImageSetError)) throw e;
        process.stderr.write(`fjord: error: ${describeError(e)}\n`);
        process.exitCode = e.exitCode;
      }
    });
}

export function imageCommand(): Command {
  return new Command('image').description('edit container images in Git (the CI hand-off)').addCommand(setCommand());
}
