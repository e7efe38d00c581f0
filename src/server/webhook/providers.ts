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

export interface ProviderSpec {
  readonly provider: Provider;
  readonly detect: (h: Headers) => boolean;
  readonly event: (h: Headers) => string;
  readonly pushEvents: ReadonlySet<string>;
  readonly secret: (s: WebhookSecrets) => string | undefined;
  /** The header carrying the credential, named in 401 answers. */
  readonly credentialHeader: string;
  readonly verify: (credential: string, secret: string, body: Buffer) => boolean;
  readonly parse: (payload: unknown) => PushEvent[];
}

const has = (name: string) => (h: Headers): boolean => h(name) !== undefined;
const header = (name: string) => (h: Headers): string => h(name) ?? '';

export const PROVIDERS: readonly ProviderSpec[] = [
  {
    provider: 'gitea', detect: has('x-gitea-event'), event: header('x-gitea-event'), pushEvents: new Set(['push']),
    secret: (s) => s.gitea, credentialHeader: 'X-Gitea-Signature', verify: hexSha256Matches,
    parse: (p) => parseGithubLike('gitea', p),
  },
  {
    provider: 'gogs', detect: has('x-gogs-event'), event: header('x-gogs-event'), pushEvents: new Set(['push']),
    secret: (s) => s.gogs, credentialHeader: 'X-Gogs-Signature', verify: hexSha256Matches,
    parse: (p) => parseGithubLike('gogs', p),
  },
  {
    provider: 'github', detect: has('x-github-event'), event: header('x-github-event'), pushEvents: new Set(['push']),
    secret: (s) => s.github, credentialHeader: 'X-Hub-Signature-256', verify: prefixedSha256Matches,
    parse: (p) => parseGithubLike('github', p),
  },
  {
    provider: 'gitlab', detect: has('x-gitlab-event'), event: header('x-gitlab-event'),
    pushEvents: new Set(['Push Hook', 'Tag Push Hook', 'System Hook']),
    secret: (s) => s.gitlab, credentialHeader: 'X-Gitlab-Token', verify: (token, secret) => safeEqual(token, secret),
    parse: parseGitlab,
  },
  {
    // Bitbucket Cloud always sends X-Hook-UUID; a repo:push without it is still Cloud's (and refused
    // when a UUID is configured), never Server's.
    provider: 'bitbucket', detect: (h) => h('x-hook-uuid') !== undefined || h('x-event-key') === 'repo:push',
    event: header('x-event-key'), pushEvents: new Set(['repo:push']),
    secret: (s) => s.bitbucketUuid, credentialHeader: 'X-Hook-UUID', verify: (uuid, secret) => safeEqual(uuid, secret),
    parse: parseBitbucketCloud,
  },
  {
    provider: 'bitbucketserver', detect: has('x-event-key'), event: header('x-event-key'), pushEvents: new Set(['repo:refs_changed']),
    secret: (s) => s.bitbucketServer, credentialHeader: 'X-Hub-Signature', verify: prefixedSha256Matches,
    parse: parseBitbucketServer,
  },
  {
    provider: 'generic', detect: (h) => h('x-fjord-signature') !== undefined || h('x-fjord-event') !== undefined,
    event: (h) => h('x-fjord-event') ?? 'push', pushEvents: new Set(['push']),
    secret: (s) => s.generic, credentialHeader: 'X-Fjord-Signature', verify: prefixedSha256Matches,
    parse: parseGeneric,
  },
];

export function detectProvider(h: Headers): ProviderSpec | undefined {
  return PROVIDERS.find((p) => p.detect(h));
}

export type Verdict = 'verified' | 'unsigned' | 'missing' | 'mismatch';

/** `unsigned`: no secret configured for this provider, so the request is accepted as Argo CD does. */
export function verifyRequest(spec: ProviderSpec, h: Headers, body: Buffer, secrets: WebhookSecrets): Verdict {
  const secret = spec.secret(secrets);
  if (secret === undefined || secret === '') return 'unsigned';
  const credential = h(spec.credentialHeader.toLowerCase());
  if (credential === undefined || credential === '') return 'missing';
  return spec.verify(credential, secret, body) ? 'verified' : 'mismatch';
}
