// The Git source layer: one bare clone per repository under a cache folder, resolution of revisions
// with a single ls-remote, and an immutable extracted tree per commit shared by every caller.
//
//   root/home/                      HOME for git and ssh
//   root/bin/askpass                GIT_ASKPASS helper (0700)
//   root/tmp/                       per-call credential files and indexes, removed afterwards
//   root/repos/<sha256(url)>.git    bare clone
//   root/trees/<sha256(url)>/<sha>  extracted tree of one commit, removed by pruneTrees() once no
//                                   render has asked for it for a while
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareGitAuth, writeAskpassScript, type RepoCredentials } from './credentials.js';
import { GitRunner } from './git-cli.js';
import { KeyedLock } from './keyed-lock.js';
import { LsRefsHttp } from './ls-refs-http.js';
import { FULL_SHA, parseLsRemote, resolveFromRefs, SHORT_SHA } from './refs.js';
import { gitFacingUrl, normalizeRepoUrl, parseRepoUrl, redactUrl, validateRepoUrl, type ParsedRepoUrl } from './repo-url.js';
import { gitFailure, SourceError } from './source-error.js';
import { exists, extractTree } from './tree-extract.js';

export interface CommitInfo {
  sha: string;
  /** 'Name <email>' */
  author: string;
  /** ISO 8601 */
  date: string;
  message: string;
}

export interface Checkout {
  /** Extracted tree of exactly that commit; read-only, shared by every caller asking for that sha. */
  dir: string;
  commit: CommitInfo;
}

export interface RepoCacheOptions {
  /** Cache folder. */
  root: string;
  timeoutMs?: number;
  allowFileUrls?: boolean;
  /** Append GIT_TRACE output (the argv of git and of what it runs) to this absolute path. */
  traceFile?: string;
  /** Observes every request to a remote (ls-remote, fetch): for metrics. */
  onRemote?: (op: string, repo: string, seconds: number, ok: boolean) => void;
  /** Clock in ms (tests). */
  now?: () => number;
}

/** A repository as the cache sees it: the URL as given, parsed, as passed to git, and its cache key. */
interface Target {
  readonly url: string;
  readonly parsed: ParsedRepoUrl;
  readonly gitUrl: string;
  readonly key: string;
  readonly gitDir: string;
}

const MAX_COMMIT_INFOS = 1_000;
const FETCH_REFSPECS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];

export class RepoCache {
  private readonly root: string;
  private readonly allowFileUrls: boolean;
  private readonly git: GitRunner;
  /** ls-remote of http(s) repositories in process (protocol v2 ls-refs), without a git process. */
  private readonly http: LsRefsHttp;
  private readonly lock = new KeyedLock();
  private readonly askpass: string;
  private readonly tmpRoot: string;
  private readonly onRemote: RepoCacheOptions['onRemote'];
  private readonly present = new Set<string>();
  /** Commits never change: their metadata is read once (two git processes) and then kept. */
  private readonly commits = new Map<string, CommitInfo>();
  /**
   * Tree folders this process has handed out, with when it last did. A folder in here exists (it
   * costs no stat per render); pruneTrees() removes a folder from here in the same tick as it decides
   * to delete it, and deletes it under the repository's lock, which checkout() takes for a folder
   * not in here.
   */
  private readonly trees = new Map<string, number>();
  private readonly now: () => number;

  constructor(opts: RepoCacheOptions) {
    this.onRemote = opts.onRemote;
    this.now = opts.now ?? Date.now;
    this.root = opts.root;
    this.allowFileUrls = opts.allowFileUrls ?? false;
    for (const dir of ['home', 'bin', 'tmp', 'repos', 'trees']) mkdirSync(join(this.root, dir), { recursive: true, mode: 0o700 });
    this.askpass = join(this.root, 'bin', 'askpass');
    this.tmpRoot = join(this.root, 'tmp');
    writeAskpassScript(this.askpass);
    this.git = new GitRunner({
      home: join(this.root, 'home'),
      allowFileUrls: this.allowFileUrls,
      timeoutMs: opts.timeoutMs ?? 90_000,
      ...(opts.traceFile !== undefined ? { traceFile: opts.traceFile } : {}),
    });
    this.http = new LsRefsHttp({ timeoutMs: opts.timeoutMs ?? 90_000, ...(opts.onRemote ? { onRemote: opts.onRemote } : {}) });
  }

  /** Closes the keep-alive connections of in-process ls-remote. */
  async close(): Promise<void> {
    await this.http.close();
  }

  /** Ref name ('HEAD', 'refs/heads/main', 'refs/tags/v1' peeled to its commit) → sha, from one ls-remote. */
  async lsRemote(url: string, creds: RepoCredentials = {}): Promise<Map<string, string>> {
    const target = this.target(url);
    const inProcess = await this.http.lsRemote(target.url, creds);
    if (inProcess) return inProcess;
    const out = await this.remote(target, creds, 'ls-remote', ['ls-remote', '--', target.gitUrl], this.tmpRoot);
    return parseLsRemote(out);
  }

  /** The commit `revision` names: '' or HEAD, branch, tag, refs/…, full sha, or a short sha. */
  async resolveRevision(url: string, revision: string, creds: RepoCredentials = {}, refs?: Map<string, string>): Promise<string> {
    const target = this.target(url);
    const rev = revision.trim();
    if (FULL_SHA.test(rev)) return rev.toLowerCase();
    const hit = resolveFromRefs(refs ?? (await this.lsRemote(url, creds)), rev);
    if (hit !== undefined) return hit;
    if (SHORT_SHA.test(rev)) {
      const sha = await this.lock.run(target.key, () => this.resolveShortSha(target, rev, creds));
      if (sha !== undefined) return sha;
    }
    throw notFound(rev === '' ? 'HEAD' : rev, url);
  }

  /** The extracted tree of commit `sha` (fetched only if the bare clone does not have it yet). */
  async checkout(url: string, sha: string, creds: RepoCredentials = {}): Promise<Checkout> {
    const target = this.target(url);
    if (!FULL_SHA.test(sha)) throw new Error(`checkout of ${redactUrl(url)} needs a full commit sha, got "${sha}"`);
    const commit = sha.toLowerCase();
    const dir = join(this.root, 'trees', target.key, commit);
    // A tree, once extracted, is never changed; remembered, it costs no stat per render.
    if (this.trees.has(dir)) {
      this.trees.set(dir, this.now());
    } else {
      await this.lock.run(target.key, async () => {
        if (!(await exists(dir))) {
          await this.ensureCommit(target, commit, creds);
          await extractTree(this.git, { gitDir: target.gitDir, sha: commit, dest: dir, tmpRoot: this.tmpRoot });
        }
        this.trees.set(dir, this.now());
      });
    }
    return { dir, commit: await this.commitInfo(url, commit) };
  }

  /**
   * Deletes the extracted trees no caller has asked for in the last `unusedForMs` (trees of an earlier
   * process count from their extraction), and leftovers of interrupted extractions, so the cache does
   * not grow with every commit ever seen. A tree asked for again later is extracted again from the
   * bare clone. Resolves with how many trees were removed.
   */
  async pruneTrees(unusedForMs: number): Promise<number> {
    const treesRoot = join(this.root, 'trees');
    const doomed: string[] = [];
    let removed = 0;
    for (const key of await readdir(treesRoot).catch(() => [] as string[])) {
      const keyDir = join(treesRoot, key);
      // Under the repository's lock, so no extraction of it runs meanwhile; the slow part, deleting
      // thousands of files, happens after, on folders nothing can hand out any more.
      await this.lock.run(key, async () => {
        for (const name of await readdir(keyDir).catch(() => [] as string[])) {
          const dir = join(keyDir, name);
          const extractedAt = (await stat(dir).catch(() => undefined))?.mtimeMs;
          if (extractedAt === undefined) continue;
          // No await between this check and forgetting the folder: checkout() sees it gone or fresh.
          if (this.now() - (this.trees.get(dir) ?? extractedAt) < unusedForMs) continue;
          this.trees.delete(dir);
          if (name.startsWith('.')) { doomed.push(dir); continue; } // an interrupted extraction or deletion
          // Renamed away under the lock: a checkout after this extracts the commit again.
          const trash = join(keyDir, `.trash-${name}`);
          if (await rename(dir, trash).then(() => true, () => false)) { doomed.push(trash); removed++; }
        }
      });
    }
    for (const dir of doomed) await rm(dir, { recursive: true, force: true, maxRetries: 2 }).catch(() => undefined);
    return removed;
  }

  /** Author, date and message of a commit already in the cache (checked out or resolved before). */
  async commitInfo(url: string, sha: string): Promise<CommitInfo> {
    const target = this.target(url);
    const cacheKey = `${target.key}:${sha.toLowerCase()}`;
    const known = this.commits.get(cacheKey);
    if (known) return known;
    const info = await this.readCommitInfo(target, sha);
    if (this.commits.size >= MAX_COMMIT_INFOS) this.commits.delete(this.commits.keys().next().value ?? '');
    this.commits.set(cacheKey, info);
    return info;
  }

  private async readCommitInfo(target: Target, sha: string): Promise<CommitInfo> {
    const url = target.url;
    if (!FULL_SHA.test(sha) || !(await this.hasCommit(target, sha))) {
      throw new SourceError(`commit ${sha} of ${redactUrl(url)} is not in the cache`, 'revision-not-found');
    }
    const format = '%H%x00%an <%ae>%x00%aI%x00%B';
    const out = await this.local(target, ['log', '-1', '--no-show-signature', `--format=${format}`, sha.toLowerCase(), '--'], 'log');
    const [full = '', author = '', date = '', ...message] = out.split('\0');
    return { sha: full, author, date, message: message.join('\0').trimEnd() };
  }

  private target(url: string): Target {
    try {
      validateRepoUrl(url, { allowFile: this.allowFileUrls });
    } catch (err) {
      throw new SourceError((err as Error).message, 'invalid-url', { cause: err });
    }
    const parsed = parseRepoUrl(url);
    if (!parsed) throw new SourceError(`invalid repository URL "${redactUrl(url)}"`, 'invalid-url');
    const key = createHash('sha256').update(normalizeRepoUrl(url)).digest('hex');
    return { url, parsed, gitUrl: gitFacingUrl(url), key, gitDir: join(this.root, 'repos', `${key}.git`) };
  }

  /** Runs a git command that talks to the remote, with credentials materialized for this one call. */
  private async remote(target: Target, creds: RepoCredentials, op: string, args: readonly string[], cwd: string): Promise<string> {
    const auth = await prepareGitAuth(target.parsed, creds, { askpass: this.askpass, tmpRoot: this.tmpRoot }).catch((err: unknown) => {
      const reason = err instanceof SourceError ? err.reason : 'failed';
      throw new SourceError(`git ${op} ${redactUrl(target.url)}: ${(err as Error).message}`, reason, { cause: err });
    });
    const started = performance.now();
    let ok = false;
    try {
      const out = await this.git.run(args, { cwd, env: auth.env, redact: auth.redact });
      ok = true;
      return out;
    } catch (err) {
      throw gitFailure(op, target.url, err, auth.redact);
    } finally {
      this.onRemote?.(op, redactUrl(normalizeRepoUrl(target.url)), (performance.now() - started) / 1000, ok);
      await auth.dispose();
    }
  }

  private async local(target: Target, args: readonly string[], op: string): Promise<string> {
    try {
      return await this.git.run([`--git-dir=${target.gitDir}`, ...args], { cwd: target.gitDir });
    } catch (err) {
      throw gitFailure(op, target.url, err, []);
    }
  }

  /** Whether the bare clone has the commit; a yes is remembered (fetches only add objects), so only a no costs a git process next time. */
  private async hasCommit(target: Target, sha: string): Promise<boolean> {
    const key = `${target.key}:${sha.toLowerCase()}`;
    if (this.present.has(key)) return true;
    if (!(await exists(join(target.gitDir, 'HEAD')))) return false;
    const found = await this.local(target, ['cat-file', '-e', `${sha}^{commit}`], 'cat-file').then(() => true, () => false);
    if (found) {
      if (this.present.size >= MAX_COMMIT_INFOS) this.present.delete(this.present.values().next().value ?? '');
      this.present.add(key);
    }
    return found;
  }

  private async ensureBareRepo(target: Target): Promise<void> {
    if (await exists(join(target.gitDir, 'HEAD'))) return;
    await this.git.run(['init', '--quiet', '--bare', '--template=', target.gitDir], { cwd: this.tmpRoot });
  }

  /** Fetches all branches and tags (pruning the ones gone upstream) into the bare clone. */
  private async fetchAll(target: Target, creds: RepoCredentials): Promise<void> {
    await this.ensureBareRepo(target);
    const args = [`--git-dir=${target.gitDir}`, 'fetch', '--quiet', '--prune', '--no-write-fetch-head', '--', target.gitUrl, ...FETCH_REFSPECS];
    await this.remote(target, creds, 'fetch', args, target.gitDir);
  }

  /** Makes sure the bare clone has `sha`: fetch all refs, then the commit itself (servers may allow it). */
  private async ensureCommit(target: Target, sha: string, creds: RepoCredentials): Promise<void> {
    if (await this.hasCommit(target, sha)) return;
    await this.fetchAll(target, creds);
    if (await this.hasCommit(target, sha)) return;
    const args = [`--git-dir=${target.gitDir}`, 'fetch', '--quiet', '--no-write-fetch-head', '--', target.gitUrl, `${sha}:refs/fjord/commits/${sha}`];
    await this.remote(target, creds, 'fetch', args, target.gitDir).catch(() => undefined);
    if (!(await this.hasCommit(target, sha))) throw notFound(sha, target.url);
  }

  private async resolveShortSha(target: Target, short: string, creds: RepoCredentials): Promise<string | undefined> {
    const local = (): Promise<string | undefined> => this.revParse(target, short);
    const sha = (await exists(join(target.gitDir, 'HEAD'))) ? await local() : undefined;
    if (sha !== undefined) return sha;
    await this.fetchAll(target, creds);
    return local();
  }

  private async revParse(target: Target, short: string): Promise<string | undefined> {
    const out = await this.local(target, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${short}^{commit}`], 'rev-parse')
      .catch(() => '');
    const sha = out.trim();
    return FULL_SHA.test(sha) ? sha : undefined;
  }
}

function notFound(revision: string, url: string): SourceError {
  return new SourceError(`revision ${revision} not found in ${redactUrl(url)}`, 'revision-not-found');
}
