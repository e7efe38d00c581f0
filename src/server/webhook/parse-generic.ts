// Fjord's own payload for any other sender (a CI job, a script, a Git server's post-receive hook):
// `{"repository": URL or [URLs], "ref"?: "refs/heads/main" | "main", "revision"?: SHA, "paths"?: [...]}`.
// Without `ref` every Application of the repository is refreshed; without `paths` all its files count.
import { at, str, strings } from './json.js';
import { distinct, refParts, type PushEvent } from './types.js';

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

export function parseGeneric(payload: unknown): PushEvent[] {
  const repository = at(payload, 'repository');
  const repoUrls = distinct(typeof repository === 'string' ? [repository] : strings(repository));
  if (repoUrls.length === 0) return [];
  const revision = str(at(payload, 'revision'));
  // `revision` that is not a commit SHA is read as the ref (the brief form `{"revision": "main"}`).
  const ref = str(at(payload, 'ref')) ?? (revision !== undefined && !SHA.test(revision) ? revision : undefined);
  const paths = at(payload, 'paths');
  const changedFiles = Array.isArray(paths) ? distinct(strings(paths).map((p) => p.replace(/^\/+/, ''))) : undefined;
  return [{
    provider: 'generic', repoUrls, ...refParts(ref),
    ...(revision !== undefined && SHA.test(revision) ? { revision } : {}),
    ...(changedFiles !== undefined && changedFiles.length > 0 ? { changedFiles } : {}),
  }];
}
