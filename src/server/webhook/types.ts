// What every Git provider's push webhook boils down to, and the shared secrets that authenticate them.

export type Provider = 'github' | 'gitlab' | 'bitbucket' | 'bitbucketserver' | 'gitea' | 'gogs' | 'generic';

/** One ref that moved in one repository, as a provider's payload describes it. */
export interface PushEvent {
  readonly provider: Provider;
  /** Every URL form of the repository the payload gives (web page, https clone, ssh clone). */
  readonly repoUrls: readonly string[];
  /** The ref as sent: `refs/heads/main`, `refs/tags/v1.2.0`, or a bare name (generic payloads). */
  readonly ref?: string;
  readonly branch?: string;
  readonly tag?: string;
  /** The commit the ref points to now. */
  readonly revision?: string;
  /** The repository's default branch when the payload names it (decides `HEAD` targets). */
  readonly defaultBranch?: string;
  /** Files the push added, modified or removed; undefined when the payload cannot say (all of them). */
  readonly changedFiles?: readonly string[];
}

/**
 * Shared secrets per provider; an absent or empty one means that provider's hooks are accepted
 * unsigned. Never logged, never echoed.
 */
export interface WebhookSecrets {
  readonly github?: string;
  readonly gitlab?: string;
  /** Bitbucket Cloud: the hook's UUID, sent as `X-Hook-UUID` (what Argo CD checks). */
  readonly bitbucketUuid?: string;
  /** Bitbucket Cloud: the hook's secret, an HMAC-SHA256 in `X-Hub-Signature`. */
  readonly bitbucket?: string;
  readonly bitbucketServer?: string;
  readonly gitea?: string;
  readonly gogs?: string;
  readonly generic?: string;
}

/** A ref split into what it names: `refs/heads/x` is a branch, `refs/tags/x` a tag. */
export function refParts(ref: string | undefined): Pick<PushEvent, 'ref' | 'branch' | 'tag'> {
  if (ref === undefined || ref === '') return {};
  if (ref.startsWith('refs/heads/')) return { ref, branch: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { ref, tag: ref.slice('refs/tags/'.length) };
  return { ref };
}

/** Drops empty and duplicate strings (payload URL lists, changed file lists). */
export function distinct(values: readonly (string | undefined | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
}
