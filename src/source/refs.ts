// Refs as git ls-remote reports them, and how a revision (HEAD, branch, tag, ref, sha) maps onto them.

export const FULL_SHA = /^[0-9a-f]{40}$/i;
export const SHORT_SHA = /^[0-9a-f]{4,39}$/i;

/**
 * `<sha>\t<ref>` lines → ref → sha. Annotated tags map to the commit they point to: the peeled
 * `refs/tags/v1^{}` line wins over the tag object's own line, whichever comes first.
 */
export function parseLsRemote(stdout: string): Map<string, string> {
  const refs = new Map<string, string>();
  const peeled = new Set<string>();
  for (const line of stdout.split('\n')) {
    const [sha = '', name = ''] = line.trim().split('\t');
    if (!FULL_SHA.test(sha) || name === '') continue;
    if (name.endsWith('^{}')) {
      const base = name.slice(0, -3);
      refs.set(base, sha.toLowerCase());
      peeled.add(base);
    } else if (!peeled.has(name)) {
      refs.set(name, sha.toLowerCase());
    }
  }
  return refs;
}

/** Candidate ref names for a revision, in order of preference. */
export function refCandidates(revision: string): string[] {
  if (revision === '' || revision === 'HEAD') return ['HEAD'];
  if (revision.startsWith('refs/')) return [revision];
  return [`refs/heads/${revision}`, `refs/tags/${revision}`];
}

/** The commit a revision names in `refs`, or undefined (short shas are not resolved here). */
export function resolveFromRefs(refs: ReadonlyMap<string, string>, revision: string): string | undefined {
  const rev = revision.trim();
  if (FULL_SHA.test(rev)) return rev.toLowerCase();
  for (const name of refCandidates(rev)) {
    const sha = refs.get(name);
    if (sha !== undefined) return sha;
  }
  return undefined;
}
