// GitHub, Gitea and Gogs push payloads share one shape: `ref`, `before`/`after`, `repository` with
// `html_url`, `clone_url`, `ssh_url` and `default_branch`, and `commits[]` listing the files each
// commit added, modified and removed.
import { at, list, str, strings } from './json.js';
import { distinct, refParts, type Provider, type PushEvent } from './types.js';

/** GitHub lists at most 2048 commits in a push; beyond that the file list is incomplete. */
const GITHUB_MAX_COMMITS = 2048;

function filesOfCommits(commits: unknown[]): string[] {
  return distinct(commits.flatMap((c) => [
    ...strings(at(c, 'added')), ...strings(at(c, 'modified')), ...strings(at(c, 'removed')),
  ]));
}

/**
 * The files a push changed, or undefined when the payload cannot tell: no commits listed (a branch
 * reset or a new branch without new commits), a forced push (the commits do not say what the old
 * tip had), or a truncated commit list.
 */
function changedFiles(payload: unknown): string[] | undefined {
  const commits = list(at(payload, 'commits'));
  if (commits.length === 0 || at(payload, 'forced') === true) return undefined;
  const total = at(payload, 'total_commits');
  if (commits.length >= GITHUB_MAX_COMMITS || (typeof total === 'number' && total > commits.length)) return undefined;
  return filesOfCommits(commits);
}

export function parseGithubLike(provider: Provider, payload: unknown): PushEvent[] {
  const repo = at(payload, 'repository');
  const repoUrls = distinct([str(at(repo, 'html_url')), str(at(repo, 'clone_url')), str(at(repo, 'ssh_url'))]);
  const ref = str(at(payload, 'ref'));
  if (repoUrls.length === 0 || ref === undefined) return [];
  const files = changedFiles(payload);
  const defaultBranch = str(at(repo, 'default_branch'));
  const revision = str(at(payload, 'after'));
  return [{
    provider, repoUrls, ...refParts(ref),
    ...(revision !== undefined ? { revision } : {}),
    ...(defaultBranch !== undefined ? { defaultBranch } : {}),
    ...(files !== undefined ? { changedFiles: files } : {}),
  }];
}
