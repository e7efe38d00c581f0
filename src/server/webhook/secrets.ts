// Where the webhook secrets live: Secret `fjord-webhook` in Fjord's namespace (keys `github.secret`,
// `gitlab.secret`, `bitbucket.uuid`, `bitbucket.secret`, `bitbucketserver.secret`, `gitea.secret`, `gogs.secret`,
// `generic.secret`), or, with `--compat argocd`, Argo CD's `argocd-secret` and its `webhook.*` keys.
import type { ApiFlavor } from '../../api/flavor.js';
import type { KubeObject } from '../../kube/client.js';
import type { WebhookSecrets } from './types.js';

type Keys = Readonly<Record<keyof WebhookSecrets, readonly string[]>>;

/** Keys read per provider, first present wins. Argo CD has no Gitea key: it checks Gitea as Gogs. */
const KEYS: Readonly<Record<ApiFlavor['name'], Keys>> = {
  fjord: {
    github: ['github.secret'], gitlab: ['gitlab.secret'], bitbucketUuid: ['bitbucket.uuid'], bitbucket: ['bitbucket.secret'],
    bitbucketServer: ['bitbucketserver.secret'], gitea: ['gitea.secret', 'gogs.secret'], gogs: ['gogs.secret'],
    generic: ['generic.secret'],
  },
  argocd: {
    github: ['webhook.github.secret'], gitlab: ['webhook.gitlab.secret'], bitbucketUuid: ['webhook.bitbucket.uuid'],
    bitbucket: ['webhook.bitbucket.secret'], bitbucketServer: ['webhook.bitbucketserver.secret'], gitea: ['webhook.gitea.secret', 'webhook.gogs.secret'],
    gogs: ['webhook.gogs.secret'], generic: ['webhook.generic.secret'],
  },
};

/** The name of the Secret holding the webhook secrets, in the flavor's namespace. */
export function webhookSecretName(flavor: Pick<ApiFlavor, 'name'>): string {
  return flavor.name === 'argocd' ? 'argocd-secret' : 'fjord-webhook';
}

function decoded(secret: KubeObject): Map<string, string> {
  const out = new Map<string, string>();
  const data = secret['data'] as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(data ?? {})) if (typeof v === 'string') out.set(k, Buffer.from(v, 'base64').toString('utf8'));
  // stringData only exists on objects not yet stored (tests, manifests read from disk); data wins.
  const stringData = secret['stringData'] as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(stringData ?? {})) if (typeof v === 'string' && !out.has(k)) out.set(k, v);
  return out;
}

/** The configured secrets (trailing newlines trimmed, as `kubectl create secret --from-file` adds them). */
export function webhookSecretsFrom(secret: KubeObject | undefined, flavor: Pick<ApiFlavor, 'name'>): WebhookSecrets {
  if (!secret) return {};
  const values = decoded(secret);
  const out: Partial<Record<keyof WebhookSecrets, string>> = {};
  for (const [field, keys] of Object.entries(KEYS[flavor.name]) as [keyof WebhookSecrets, readonly string[]][]) {
    const value = keys.map((k) => values.get(k)?.replace(/[\r\n]+$/, '')).find((v) => v !== undefined && v !== '');
    if (value !== undefined) out[field] = value;
  }
  return out;
}
