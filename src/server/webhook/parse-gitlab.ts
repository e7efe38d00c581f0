// GitLab's "Push Hook" and "Tag Push Hook" (and the same events sent as a "System Hook"): `ref`,
// `before`/`after`, `project` with `web_url`, `git_http_url`, `git_ssh_url` and `default_branch`,
// and at most 20 `commits[]` with their files (`total_commits_count` says how many there were).
import { at, list, str, strings } from './json.js';
import { distinct, refParts, type PushEvent } from './types.js';

const PUSH_KINDS = new Set(['push', 'tag_push']);

function changedFiles(payload: unknown): string[] | undefined {
  const commits = list(at(payload, 'commits'));
  const total = at(payload, 'total_commits_count');
  if (commits.length === 0 || (typeof total === 'number' && total > commits.length)) return undefined;
  return distinct(commits.flatMap((c) => [
    ...strings(at(c, 'added')), ...strings(at(c, 'modified')), ...strings(at(c, 'removed')),
  ]));
}

export function parseGitlab(payload: unknown): PushEvent[] {
  const kind = str(at(payload, 'object_kind')) ?? str(at(payload, 'event_name'));
  if (kind === undefined || !PUSH_KINDS.has(kind)) return [];
  const project = at(payload, 'project');
  const repository = at(payload, 'repository');
  const repoUrls = distinct([
    str(at(project, 'web_url')), str(at(project, 'git_http_url')), str(at(project, 'git_ssh_url')),
    str(at(repository, 'homepage')), str(at(repository, 'git_http_url')), str(at(repository, 'git_ssh_url')),
  ]);
  const ref = str(at(payload, 'ref'));
  if (repoUrls.length === 0 || ref === undefined) return [];
  const files = changedFiles(payload);
  const defaultBranch = str(at(project, 'default_branch'));
  const revision = str(at(payload, 'checkout_sha')) ?? str(at(payload, 'after'));
  return [{
    provider: 'gitlab', repoUrls, ...refParts(ref),
    ...(revision !== undefined ? { revision } : {}),
    ...(defaultBranch !== undefined ? { defaultBranch } : {}),
    ...(files !== undefined ? { changedFiles: files } : {}),
  }];
}
