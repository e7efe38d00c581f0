// Which age identities decrypt an Application's SOPS files. Besides the controller-wide default (Secrets
// in Fjord's namespace labelled secret-type "sops-age"), an Application can name its own age Secret with
// the annotation AGE_SECRET_ANNOTATION: Flux's `spec.decryption.secretRef` in spirit (a Secret of
// `*.agekey` entries), as an annotation so Argo CD's Application schema is untouched. Applications share
// Fjord's namespace, so the Secret says which projects may use it (AGE_SECRET_PROJECTS_ANNOTATION):
// otherwise any Application could decrypt another team's files into its own destination.
import { KubeApiError, type KubeClient, type KubeObject } from '../../kube/client.js';
import { ageIdentitiesFrom } from './rendered.js';

export const AGE_SECRET_ANNOTATION = 'fjord.dev/sops-age-secret';
/** On the age Secret: comma-separated AppProject names allowed to use it, or "*". */
export const AGE_SECRET_PROJECTS_ANNOTATION = 'fjord.dev/sops-age-projects';

export interface AppAgeKeysOptions {
  readonly kube: KubeClient;
  /** Where Applications and their age Secrets live. */
  readonly namespace: string;
  /** The Application by name (from the controller's informer). */
  readonly application: (name: string) => KubeObject | undefined;
  /** The controller-wide identities. */
  readonly defaults: () => string[];
}

function annotationsOf(obj: KubeObject | undefined): Record<string, string> {
  return (obj?.metadata?.['annotations'] ?? {}) as Record<string, string>;
}

async function ownIdentities(o: AppAgeKeysOptions, appName: string, app: KubeObject, secretName: string): Promise<string[]> {
  const where = `Application ${o.namespace}/${appName}: annotation ${AGE_SECRET_ANNOTATION} names Secret ${o.namespace}/${secretName}`;
  let secret: KubeObject | undefined;
  try {
    secret = await o.kube.getOrUndefined(`/api/v1/namespaces/${o.namespace}/secrets/${encodeURIComponent(secretName)}`);
  } catch (e) {
    throw new Error(`${where}, which cannot be read (${e instanceof KubeApiError ? `HTTP ${e.status}` : (e as Error).message})`, { cause: e });
  }
  if (!secret) throw new Error(`${where}, which does not exist`);
  const project = (app['spec'] as { project?: string } | undefined)?.project ?? 'default';
  const allowed = (annotationsOf(secret)[AGE_SECRET_PROJECTS_ANNOTATION] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (!allowed.includes('*') && !allowed.includes(project)) {
    throw new Error(`${where}, which does not allow project "${project}" (its annotation ${AGE_SECRET_PROJECTS_ANNOTATION} lists ${allowed.length ? allowed.join(', ') : 'none'})`);
  }
  const ids = ageIdentitiesFrom([secret]);
  if (ids.length === 0) throw new Error(`${where}, which has no *.agekey entry`);
  return ids;
}

/**
 * The identities for an Application's SOPS files: its own Secret's (when annotated) first, then the
 * controller-wide ones. Only asked when a rendered file is SOPS-encrypted.
 */
export function appAgeIdentities(o: AppAgeKeysOptions): (appName: string) => Promise<string[]> {
  return async (appName) => {
    const app = o.application(appName);
    const secretName = annotationsOf(app)[AGE_SECRET_ANNOTATION];
    if (!app || !secretName) return o.defaults();
    return [...await ownIdentities(o, appName, app, secretName), ...o.defaults()];
  };
}
