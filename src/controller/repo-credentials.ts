// Repository credentials from Secrets in Fjord's namespace, labelled as Argo CD does:
// `<flavor secret-type label>: repository` holds one repository's URL and credentials;
// `repo-creds` holds a URL prefix whose credentials apply to every repository under it.
// Values are read from the Secret's data and never logged.
import type { KubeObject } from '../kube/client.js';
import type { RepoCredentials } from '../source/credentials.js';
import { normalizeRepoUrl } from '../source/repo-url.js';

function field(secret: KubeObject, key: string): string | undefined {
  const data = secret['data'] as Record<string, string> | undefined;
  const raw = data?.[key];
  return raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8');
}

export function credentialsFromSecret(secret: KubeObject): RepoCredentials {
  const username = field(secret, 'username');
  const password = field(secret, 'password');
  const sshPrivateKey = field(secret, 'sshPrivateKey');
  const knownHosts = field(secret, 'knownHosts') ?? field(secret, 'ssh_known_hosts');
  const caPem = field(secret, 'tlsCACert') ?? field(secret, 'caData');
  const insecure = field(secret, 'insecure') === 'true';
  return {
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(sshPrivateKey !== undefined ? { sshPrivateKey } : {}),
    ...(knownHosts !== undefined ? { knownHosts } : {}),
    ...(caPem !== undefined ? { caPem } : {}),
    ...(insecure ? { insecure } : {}),
  };
}

/** Picks the credentials for `repoUrl`: an exact `repository` Secret first, else the longest matching `repo-creds` prefix. */
export function credentialsFor(repoUrl: string, secrets: readonly KubeObject[], typeLabel: string, knownHosts?: string): RepoCredentials | undefined {
  const want = normalizeRepoUrl(repoUrl);
  const labelled = (type: string): KubeObject[] => secrets.filter((s) => (s.metadata?.['labels'] as Record<string, string> | undefined)?.[typeLabel] === type);
  const exact = labelled('repository').find((s) => { const u = field(s, 'url'); return u !== undefined && normalizeRepoUrl(u) === want; });
  const prefix = labelled('repo-creds')
    .map((s) => ({ s, url: field(s, 'url') ?? '' }))
    .filter(({ url }) => url !== '' && repoUrl.startsWith(url))
    .sort((a, b) => b.url.length - a.url.length)[0]?.s;
  const chosen = exact ?? prefix;
  if (!chosen) return knownHosts ? { knownHosts } : undefined;
  const creds = credentialsFromSecret(chosen);
  return creds.knownHosts || !knownHosts ? creds : { ...creds, knownHosts };
}
