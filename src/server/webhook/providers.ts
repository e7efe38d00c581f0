// Which provider sent a request (by its headers, in the order Argo CD checks them: Gitea and Gogs also
// send GitHub's headers, so they come first), how its credential is checked, which of its events are
// pushes, and how its payload is read. One row per provider.
import { parseBitbucketCloud, parseBitbucketServer } from './parse-bitbucket.js';
import { parseGeneric } from './parse-generic.js';
import { parseGithubLike } from './parse-github.js';
import { parseGitlab } from './parse-gitlab.js';
import { hexSha256Matches, prefixedSha256Matches, safeEqual } from './signature.js';
import type { Provider, PushEvent, WebhookSecrets } from './types.js';

export type Headers = (name: string) => string | undefined;

export interface Credential {
  readonly secret: (s: WebhookSecrets) => string | undefined;
  /** The header carrying the credential, named in 401 answers. */
  readonly header: string;
  readonly verify: (credential: string, secret: string, body: Buffer) => boolean;
}

export interface ProviderSpec {
  readonly provider: Provider;
  readonly detect: (h: Headers) => boolean;
  readonly event: (h: Headers) => string;
  readonly pushEvents: ReadonlySet<string>;
  /** How requests prove where they come from; every one whose secret is configured must pass. */
  readonly credentials: readonly Credential[];
  readonly parse: (payload: unknown) => PushEvent[];
}

/** `{5C6D…}` and `5c6d…` are one UUID: Bitbucket shows it with braces, copies may drop them. */
const bareUuid = (uuid: string): string => uuid.trim().replace(/^\{(.*)\}$/, '$1').toLowerCase();
const has = (name: string) => (h: Headers): boolean => h(name) !== undefined;
const header = (name: string) => (h: Headers): string => h(name) ?? '';

export const PROVIDERS: readonly ProviderSpec[] = [
  {
    provider: 'gitea', detect: has('x-gitea-event'), event: header('x-gitea-event'), pushEvents: new Set(['push']),
    credentials: [{ secret: (s) => s.gitea, header: 'X-Gitea-Signature', verify: hexSha256Matches }],
    parse: (p) => parseGithubLike('gitea', p),
  },
  {
    provider: 'gogs', detect: has('x-gogs-event'), event: header('x-gogs-event'), pushEvents: new Set(['push']),
    credentials: [{ secret: (s) => s.gogs, header: 'X-Gogs-Signature', verify: hexSha256Matches }],
    parse: (p) => parseGithubLike('gogs', p),
  },
  {
    provider: 'github', detect: has('x-github-event'), event: header('x-github-event'), pushEvents: new Set(['push']),
    credentials: [{ secret: (s) => s.github, header: 'X-Hub-Signature-256', verify: prefixedSha256Matches }],
    parse: (p) => parseGithubLike('github', p),
  },
  {
    provider: 'gitlab', detect: has('x-gitlab-event'), event: header('x-gitlab-event'),
    pushEvents: new Set(['Push Hook', 'Tag Push Hook', 'System Hook']),
    credentials: [{ secret: (s) => s.gitlab, header: 'X-Gitlab-Token', verify: (token, secret) => safeEqual(token, secret) }],
    parse: parseGitlab,
  },
  {
    // Bitbucket Cloud always sends X-Hook-UUID; a repo:push without it is still Cloud's (and refused
    // when a UUID is configured), never Server's.
    provider: 'bitbucket', detect: (h) => h('x-hook-uuid') !== undefined || h('x-event-key') === 'repo:push',
    event: header('x-event-key'), pushEvents: new Set(['repo:push']),
    credentials: [
      { secret: (s) => s.bitbucketUuid, header: 'X-Hook-UUID', verify: (uuid, secret) => safeEqual(bareUuid(uuid), bareUuid(secret)) },
      // Webhook secrets, which Bitbucket Cloud added in 2024 (Argo CD does not read them).
      { secret: (s) => s.bitbucket, header: 'X-Hub-Signature', verify: prefixedSha256Matches },
    ],
    parse: parseBitbucketCloud,
  },
  {
    provider: 'bitbucketserver', detect: has('x-event-key'), event: header('x-event-key'), pushEvents: new Set(['repo:refs_changed']),
    credentials: [{ secret: (s) => s.bitbucketServer, header: 'X-Hub-Signature', verify: prefixedSha256Matches }],
    parse: parseBitbucketServer,
  },
  {
    provider: 'generic', detect: (h) => h('x-fjord-signature') !== undefined || h('x-fjord-event') !== undefined,
    event: (h) => h('x-fjord-event') ?? 'push', pushEvents: new Set(['push']),
    credentials: [{ secret: (s) => s.generic, header: 'X-Fjord-Signature', verify: prefixedSha256Matches }],
    parse: parseGeneric,
  },
];

export function detectProvider(h: Headers): ProviderSpec | undefined {
  return PROVIDERS.find((p) => p.detect(h));
}

export type Verdict = 'verified' | 'unsigned' | 'missing' | 'mismatch';

/** `unsigned`: no secret configured for this provider, so the request is accepted as Argo CD does. */
export function verifyRequest(spec: ProviderSpec, h: Headers, body: Buffer, secrets: WebhookSecrets): { verdict: Verdict; header?: string } {
  let verdict: Verdict = 'unsigned';
  for (const c of spec.credentials) {
    const secret = c.secret(secrets);
    if (secret === undefined || secret === '') continue;
    const credential = h(c.header.toLowerCase());
    if (credential === undefined || credential === '') return { verdict: 'missing', header: c.header };
    if (!c.verify(credential, secret, body)) return { verdict: 'mismatch', header: c.header };
    verdict = 'verified';
  }
  return { verdict };
}
