// Pushes the current branch to its upstream (or origin). A push rejected because the remote moved
// (another pipeline pushed first) is retried once after `git pull --rebase`; a second rejection, or a
// rebase that conflicts, is an ImageSetError with exit code 6 so CI can tell a race from a failure.
import { ExecError } from '../exec/exec.js';
import { IMAGE_SET_EXIT, ImageSetError } from './errors.js';
import { git, redactMessage, type PushResult, type Repository } from './git-commit.js';

interface Target {
  readonly remote: string;
  readonly branch: string;
  readonly ref: string;
  /** Credentials found in the remote's URL, to blank out of anything printed. */
  readonly secrets: readonly string[];
}

async function optional(repo: Repository, args: readonly string[]): Promise<string | undefined> {
  try {
    const v = await git(repo, args);
    return v === '' ? undefined : v;
  } catch {
    return undefined;
  }
}

function urlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    return [u.password, u.username, decodeURIComponent(u.password), decodeURIComponent(u.username)].filter((s) => s.length > 0);
  } catch {
    return [];
  }
}

async function pushTarget(repo: Repository): Promise<Target> {
  const branch = await optional(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  if (!branch) throw new ImageSetError('--push: HEAD is detached; check out the branch to push first (e.g. git checkout -B main origin/main)', IMAGE_SET_EXIT.notARepository);
  const remote = await optional(repo, ['config', '--get', `branch.${branch}.remote`]) ?? 'origin';
  const ref = await optional(repo, ['config', '--get', `branch.${branch}.merge`]) ?? `refs/heads/${branch}`;
  const secrets = urlSecrets(await optional(repo, ['remote', 'get-url', remote]));
  return { remote, branch, ref, secrets };
}

function isRace(e: unknown): boolean {
  return e instanceof ExecError && /\[rejected\]|non-fast-forward|fetch first/.test(e.stderr);
}

function describe(e: unknown, secrets: readonly string[]): string {
  return redactMessage(e instanceof Error ? e.message : String(e), secrets);
}

async function push(repo: Repository, t: Target): Promise<void> {
  await git(repo, ['push', '--quiet', t.remote, `HEAD:${t.ref}`], t.secrets, 120_000);
}

async function rebaseOntoRemote(repo: Repository, t: Target): Promise<void> {
  try {
    await git(repo, [...repo.identity, 'pull', '--quiet', '--rebase', '--autostash', t.remote, t.ref], t.secrets, 120_000);
  } catch (e) {
    await git(repo, ['rebase', '--abort']).catch(() => undefined);
    throw new ImageSetError(`push to ${t.remote} ${t.ref} was rejected because the remote moved, and rebasing onto it failed (${describe(e, t.secrets)}); the commit is still local`, IMAGE_SET_EXIT.pushRejected);
  }
}

/** Pushes HEAD to the branch's upstream, rebasing and retrying once if the remote moved meanwhile. */
export async function pushBranch(repo: Repository): Promise<PushResult> {
  const t = await pushTarget(repo);
  let rebased = false;
  try {
    await push(repo, t);
  } catch (first) {
    if (!isRace(first)) throw new ImageSetError(`git push to ${t.remote} ${t.ref} failed: ${describe(first, t.secrets)}`, IMAGE_SET_EXIT.failed);
    await rebaseOntoRemote(repo, t);
    rebased = true;
    try {
      await push(repo, t);
    } catch (second) {
      const code = isRace(second) ? IMAGE_SET_EXIT.pushRejected : IMAGE_SET_EXIT.failed;
      const why = isRace(second) ? 'rejected twice: the remote moved again after rebasing onto it' : 'failed after rebasing onto the remote';
      throw new ImageSetError(`git push to ${t.remote} ${t.ref} ${why}; the commit is still local: ${describe(second, t.secrets)}`, code);
    }
  }
  const sha = await git(repo, ['rev-parse', 'HEAD']);
  return { remote: t.remote, branch: t.branch, ref: t.ref, rebased, sha };
}
