// The git half of `fjord image set`: find the repository, refuse a dirty tree, commit one file, and
// push the current branch, rebasing once when another pipeline pushed first. Every call goes through
// the exec seam with a fixed argv; credentials stay in the remote's URL and are redacted from errors.
import { exec, ExecError } from '../exec/exec.js';
import { IMAGE_SET_EXIT, ImageSetError } from './errors.js';

export interface Repository {
  /** The working tree's top folder. */
  readonly top: string;
  /** The folder the command was pointed at, relative to `top` (`''` at the top, else ending in `/`). */
  readonly prefix: string;
  readonly env: NodeJS.ProcessEnv;
  /** `-c user.name=fjord -c user.email=fjord@localhost` where neither git config nor the environment names one; for commands that commit. */
  readonly identity: readonly string[];
}

export interface CommitResult {
  readonly sha: string;
  readonly message: string;
  readonly author: string;
}

export interface PushResult {
  readonly remote: string;
  readonly branch: string;
  readonly ref: string;
  /** True when the first push was rejected because the remote moved, and the commit was rebased onto it. */
  readonly rebased: boolean;
  /** HEAD after the push (a new SHA when rebased). */
  readonly sha: string;
}

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi;

/** Removes `user:password@` from URLs and any listed secret from a message. */
export function redactMessage(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_CREDENTIALS, '$1***@');
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
}

/** The caller's environment (GIT_AUTHOR_NAME and friends count), never prompting, with English messages to match on. */
function gitEnv(): NodeJS.ProcessEnv {
  const identity = new Set(['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL']);
  const inherited = Object.entries(process.env).filter(([k, v]) => !(identity.has(k) && v === ''));
  return { ...Object.fromEntries(inherited), GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANGUAGE: 'C' };
}

/** Runs git in the repository's top folder; `secrets` are blanked out of any error. */
export async function git(repo: Pick<Repository, 'top' | 'env'>, args: readonly string[], secrets: readonly string[] = [], timeoutMs = 60_000): Promise<string> {
  const r = await exec('git', args, { cwd: repo.top, env: repo.env, timeoutMs, redact: secrets });
  return r.stdout.trim();
}

function gitFailure(what: string, e: unknown, secrets: readonly string[] = []): ImageSetError {
  const detail = e instanceof Error ? redactMessage(e.message, secrets) : String(e);
  return new ImageSetError(`${what}: ${detail}`, IMAGE_SET_EXIT.failed);
}

/** The repository holding `dir`; ImageSetError exit 4 when it is not in a git working tree. */
export async function openRepository(dir: string): Promise<Repository> {
  const env = gitEnv();
  try {
    const out = await exec('git', ['rev-parse', '--show-toplevel', '--show-prefix'], { cwd: dir, env });
    const [top = '', prefix = ''] = out.stdout.split('\n');
    return { top, prefix, env, identity: await identityFallback({ top, env }) };
  } catch (e) {
    if (e instanceof ExecError && /not a git repository/i.test(e.stderr)) {
      throw new ImageSetError(`--dir ${dir}: not inside a git repository (needed for --commit and --push)`, IMAGE_SET_EXIT.notARepository);
    }
    throw gitFailure(`--dir ${dir}: cannot ask git about it`, e);
  }
}

/** Tracked files with uncommitted changes, staged or not (untracked files do not count). */
export async function changedPaths(repo: Repository): Promise<string[]> {
  const out = await exec('git', ['status', '--porcelain=v1', '-z', '--untracked-files=no'], { cwd: repo.top, env: repo.env });
  const paths: string[] = [];
  const fields = out.stdout.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] ?? '';
    if (f.length < 4) continue;
    paths.push(f.slice(3));
    if (f[0] === 'R' || f[0] === 'C') i++; // the rename's source path follows
  }
  return paths;
}

async function configValue(repo: Pick<Repository, 'top' | 'env'>, key: string): Promise<string | undefined> {
  try {
    const v = await git(repo, ['config', '--get', key]);
    return v === '' ? undefined : v;
  } catch {
    return undefined;
  }
}

/** `-c user.name=fjord -c user.email=fjord@localhost` for whatever neither git config nor the environment sets. */
async function identityFallback(repo: Pick<Repository, 'top' | 'env'>): Promise<string[]> {
  const args: string[] = [];
  if (!repo.env['GIT_AUTHOR_NAME'] || !repo.env['GIT_COMMITTER_NAME']) {
    if (await configValue(repo, 'user.name') === undefined) args.push('-c', 'user.name=fjord');
  }
  if (!repo.env['GIT_AUTHOR_EMAIL'] || !repo.env['GIT_COMMITTER_EMAIL']) {
    if (await configValue(repo, 'user.email') === undefined) args.push('-c', 'user.email=fjord@localhost');
  }
  return args;
}

/** Commits exactly `path` (relative to the top), whatever else is staged or modified. */
export async function commitFile(repo: Repository, path: string, message: string): Promise<CommitResult> {
  try {
    const literal = `:(literal)${path}`;
    await git(repo, ['add', '--', literal]);
    await git(repo, [...repo.identity, 'commit', '--quiet', '--no-edit', '-m', message, '--', literal]);
    const sha = await git(repo, ['rev-parse', 'HEAD']);
    const author = await git(repo, ['log', '-1', '--format=%an <%ae>', 'HEAD']);
    return { sha, message, author };
  } catch (e) {
    throw gitFailure(`committing ${path}`, e);
  }
}

