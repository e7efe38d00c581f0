// SealedSecret objects (bitnami.com/v1alpha1): sealing a Secret as `kubeseal --format json` does,
// and unsealing one into a Secret as the sealed-secrets controller does (Unseal in
// pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go).
import {
  CLUSTER_WIDE_ANNOTATION,
  NAMESPACE_WIDE_ANNOTATION,
  UnsealError,
  encryptionLabel,
  scopeOf,
  seal,
  unseal,
  type SealingScope,
} from './crypto.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ObjectMetaLike {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface SecretInput {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string>; [field: string]: unknown };
  /** Values are base64, as in a Secret. */
  data?: Record<string, string>;
  /** Values are plain UTF-8; they win over `data` on the same key, as the API server does. */
  stringData?: Record<string, string>;
  type?: string;
  immutable?: boolean;
}

export interface SealedSecretObject {
  apiVersion: 'bitnami.com/v1alpha1';
  kind: 'SealedSecret';
  metadata: ObjectMetaLike;
  spec: {
    template?: {
      metadata?: Partial<ObjectMetaLike>;
      type?: string;
      immutable?: boolean;
      /** Go text/template strings in Bitnami; only literal values (no `{{`) are supported here. */
      data?: Record<string, string> | null;
    };
    encryptedData?: Record<string, string>;
    /** Deprecated v1 format (whole Secret encrypted as one blob); not supported. */
    data?: string;
  };
  status?: unknown;
}

export interface UnsealedSecret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: ObjectMetaLike & { namespace: string };
  type?: string;
  immutable?: boolean;
  data: Record<string, string>;
}

/** Sets the annotations for `scope` and drops the other scope annotation (UpdateScopeAnnotations). */
function withScopeAnnotations(annotations: Record<string, string> | undefined, scope: SealingScope, drop: readonly string[] = []): Record<string, string> {
  const out = Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => k !== NAMESPACE_WIDE_ANNOTATION && k !== CLUSTER_WIDE_ANNOTATION && !drop.includes(k)));
  if (scope === 'namespace-wide') out[NAMESPACE_WIDE_ANNOTATION] = 'true';
  if (scope === 'cluster-wide') out[CLUSTER_WIDE_ANNOTATION] = 'true';
  return out;
}

function nonEmpty(rec: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(rec).length > 0 ? rec : undefined;
}

function sortedKeys(rec: Record<string, string> | undefined): string[] {
  return Object.keys(rec ?? {}).sort();
}

/**
 * Seals every value of `secret` for the certificate (or RSA public key) `certPem`, producing the
 * SealedSecret `kubeseal --format json` would. `scope`, when given, replaces the scope annotations
 * of the Secret; otherwise they select it (strict if none).
 */
export function sealSecret(certPem: string, secret: SecretInput, scope?: SealingScope): SealedSecretObject {
  const { name, namespace } = secret.metadata;
  const effective = scope ?? scopeOf(secret.metadata.annotations);
  if (!name) throw new Error('secret must declare a name');
  if (!namespace && effective !== 'cluster-wide') throw new Error(`secret ${name} must declare a namespace`);
  const label = encryptionLabel(effective, namespace, name);

  const plain = new Map<string, Buffer>();
  for (const k of sortedKeys(secret.data)) plain.set(k, Buffer.from(secret.data?.[k] ?? '', 'base64'));
  for (const k of sortedKeys(secret.stringData)) plain.set(k, Buffer.from(secret.stringData?.[k] ?? '', 'utf8'));
  const encryptedData: Record<string, string> = {};
  for (const k of [...plain.keys()].sort()) {
    const value = plain.get(k);
    if (value) encryptedData[k] = seal(certPem, value, label);
  }

  // kubeseal drops the server-set identity fields and keeps the rest of the Secret's metadata.
  const { labels, annotations, uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, selfLink: _sl, ...restMeta } = secret.metadata;
  const templateAnnotations = withScopeAnnotations(annotations, effective, [LAST_APPLIED]);
  const scopeAnnotations = nonEmpty(withScopeAnnotations(undefined, effective));
  const templateMeta: Partial<ObjectMetaLike> = { ...restMeta, name, ...(namespace ? { namespace } : {}) };
  if (labels && Object.keys(labels).length > 0) templateMeta.labels = { ...labels };
  const ta = nonEmpty(templateAnnotations);
  if (ta) templateMeta.annotations = ta;

  const template: NonNullable<SealedSecretObject['spec']['template']> = { metadata: templateMeta };
  if (secret.type !== undefined) template.type = secret.type;
  if (secret.immutable !== undefined) template.immutable = secret.immutable;

  return {
    kind: 'SealedSecret',
    apiVersion: 'bitnami.com/v1alpha1',
    metadata: { name, ...(namespace ? { namespace } : {}), ...(scopeAnnotations ? { annotations: scopeAnnotations } : {}) },
    spec: { template, encryptedData },
  };
}

/** Literal template values only: Bitnami renders Go templates, which Fjord does not. */
function templateValue(key: string, value: string): string {
  if (value.includes('{{')) throw new UnsealError(`spec.template.data.${key}: Go templates are not supported`);
  return Buffer.from(value, 'utf8').toString('base64');
}

/**
 * Decrypts `sealed` into the Secret the controller would write: name and namespace forced to the
 * SealedSecret's, template labels, annotations, type and immutable copied, every value decrypted
 * with the label computed from the SealedSecret's own metadata (so a strict SealedSecret moved to
 * another namespace or name is refused). Throws UnsealError naming the keys that failed.
 */
export function unsealSecret(privateKeysPem: readonly string[], sealed: SealedSecretObject): UnsealedSecret {
  const { name, namespace = '' } = sealed.metadata;
  if (sealed.spec.data && Object.keys(sealed.spec.encryptedData ?? {}).length === 0) {
    throw new UnsealError(`SealedSecret ${namespace}/${name}: the deprecated spec.data format is not supported`);
  }
  const scope = scopeOf(sealed.metadata.annotations);
  const label = encryptionLabel(scope, namespace, name);

  const data: Record<string, string> = {};
  const failed: string[] = [];
  let firstError = '';
  for (const [key, value] of Object.entries(sealed.spec.encryptedData ?? {})) {
    try {
      data[key] = unseal(privateKeysPem, value, label).toString('base64');
    } catch (e) {
      if (!(e instanceof UnsealError)) throw e;
      failed.push(key);
      firstError ||= e.message;
    }
  }
  if (failed.length > 0) {
    throw new UnsealError(`SealedSecret ${namespace}/${name} (${scope}): cannot unseal ${failed.map((k) => JSON.stringify(k)).join(', ')}: ${firstError}`);
  }
  const template = sealed.spec.template ?? {};
  for (const [key, value] of Object.entries(template.data ?? {})) data[key] = templateValue(key, value);

  const metadata: UnsealedSecret['metadata'] = { ...(template.metadata ?? {}), name, namespace };
  const out: UnsealedSecret = { apiVersion: 'v1', kind: 'Secret', metadata, data };
  if (template.type !== undefined && template.type !== '') out.type = template.type;
  if (template.immutable !== undefined) out.immutable = template.immutable;
  return out;
}
