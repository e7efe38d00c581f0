// Bitbucket Cloud (`repo:push`) and Bitbucket Server / Data Center (`repo:refs_changed`). Neither
// lists changed files nor the default branch, so every matching Application is refreshed. One push
// can move several refs: each becomes its own event.
import { at, list, str } from './json.js';
import { distinct, refParts, type PushEvent } from './types.js';

const CLOUD_REF_PREFIX: Readonly<Record<string, string>> = { branch: 'refs/heads/', named_branch: 'refs/heads/', tag: 'refs/tags/' };

/** Bitbucket Cloud: `push.changes[]` with `new` (null when the ref was deleted) and `old`. */
export function parseBitbucketCloud(payload: unknown): PushEvent[] {
  const repo = at(payload, 'repository');
  const repoUrls = distinct([str(at(repo, 'links', 'html', 'href'))]);
  if (repoUrls.length === 0) return [];
  return list(at(payload, 'push', 'changes')).flatMap((change): PushEvent[] => {
    const side = at(change, 'new') ?? at(change, 'old');
    const name = str(at(side, 'name'));
    if (name === undefined) return [];
    const prefix = CLOUD_REF_PREFIX[str(at(side, 'type')) ?? ''] ?? 'refs/heads/';
    const revision = str(at(change, 'new', 'target', 'hash'));
    return [{ provider: 'bitbucket', repoUrls, ...refParts(`${prefix}${name}`), ...(revision !== undefined ? { revision } : {}) }];
  });
}

/** Bitbucket Server: `changes[]` with `ref.id` and `toHash`; clone URLs in `repository.links.clone[]`. */
export function parseBitbucketServer(payload: unknown): PushEvent[] {
  const clones = list(at(payload, 'repository', 'links', 'clone'));
  const repoUrls = distinct(clones.map((c) => str(at(c, 'href'))));
  if (repoUrls.length === 0) return [];
  return list(at(payload, 'changes')).flatMap((change): PushEvent[] => {
    const ref = str(at(change, 'ref', 'id')) ?? str(at(change, 'refId'));
    if (ref === undefined) return [];
    const revision = str(at(change, 'toHash'));
    return [{ provider: 'bitbucketserver', repoUrls, ...refParts(ref), ...(revision !== undefined ? { revision } : {}) }];
  });
}
