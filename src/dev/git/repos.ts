// Bare repositories on disk and a scratch working copy to commit and push to them: what tests and
// the demo use to play the part of a team committing to its config repository.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { exec } from '../../exec/exec.js';

const AUTHOR = {
  GIT_AUTHOR_NAME: 'Fjord Test', GIT_AUTHOR_EMAIL: 'test@fjord.invalid',
  GIT_COMMITTER_NAME: 'Fjord Test', GIT_COMMITTER_EMAIL: 'test@fjord.invalid',
};

/** Environment for git commands that ignores the machine's and the user's git configuration. */
export function isolatedGitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'], HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0', ...AUTHOR, ...extra,
  };
}

export function git(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  return exec('git', args, { cwd, env: isolatedGitEnv(env), timeoutMs: 60_000 }).then((r) => r.stdout.trim());
}

/**
 * Creates a bare repository at <root>/<repoPath> (e.g. `org/repo.git`) with default branch `main`.
 * It is shared with every local user, so the ssh server's `git` account can push to it too.
 */
export async function createBareRepo(root: string, repoPath: string): Promise<string> {
  const dir = join(root, repoPath);
  mkdirSync(dirname(dir), { recursive: true });
  for (let d = dirname(dir); d.startsWith(root) && d.length >= root.length; d = dirname(d)) chmodSync(d, 0o755);
  await git(['init', '--quiet', '--bare', '--shared=0777', '--initial-branch=main', dir], root);
  return dir;
}

/** A temporary clone to write files in, commit and push. */
export class WorkingCopy {
  private constructor(readonly dir: string, private readonly env: NodeJS.ProcessEnv) {}

  /** Clones `url` (an empty repository is fine) into a temporary folder. */
  static async clone(url: string, env: NodeJS.ProcessEnv = {}): Promise<WorkingCopy> {
    const dir = mkdtempSync(join(tmpdir(), 'fjord-wc-'));
    // No background `git gc --auto` after a big commit: it would still be writing in .git when the
    // copy is removed (seen with a commit of 100,000 files). `clone -c` writes it into the copy's config.
    await git(['clone', '--quiet', '-c', 'gc.auto=0', '-c', 'maintenance.auto=false', url, dir], tmpdir(), env);
    await git(['checkout', '--quiet', '-B', 'main'], dir, env).catch(() => undefined);
    return new WorkingCopy(dir, env);
  }

  write(files: Record<string, string>): this {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), content);
    }
    return this;
  }

  /** Stages everything, commits, and returns the new commit's SHA. */
  async commit(message: string): Promise<string> {
    await git(['add', '--all'], this.dir, this.env);
    await git(['commit', '--quiet', '--allow-empty', '-m', message], this.dir, this.env);
    return git(['rev-parse', 'HEAD'], this.dir, this.env);
  }

  async push(ref = 'main'): Promise<void> {
    await git(['push', '--quiet', 'origin', `HEAD:refs/heads/${ref}`], this.dir, this.env);
  }

  async tag(name: string): Promise<void> {
    await git(['tag', name], this.dir, this.env);
    await git(['push', '--quiet', 'origin', `refs/tags/${name}`], this.dir, this.env);
  }

  /** Retried, in case a git process of ours is still finishing in .git. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
