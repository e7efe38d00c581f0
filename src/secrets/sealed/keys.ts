// Sealing keys kept as Bitnami does: TLS Secrets in the controller's namespace labelled
// sealedsecrets.bitnami.com/sealed-secrets-key=active (tls.crt = PEM certificate, tls.key = PEM RSA
// private key). All of them unseal; the newest (by creationTimestamp) seals. key-ring.ts watches them,
// generates the first and renews on schedule; a key Secret brought from a Bitnami controller (or made
// with openssl: bring-your-own-key) is simply used.
import { createPrivateKey } from 'node:crypto';
import { createSelfSignedRsa } from '../../dev/pki.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import type { Logger } from '../../util/log.js';

export const KEY_LABEL = 'sealedsecrets.bitnami.com/sealed-secrets-key';
export const KEY_LABEL_VALUE = 'active';
export const KEY_PREFIX = 'sealed-secrets-key';

export interface SealingKey {
  /** The key Secret's name. */
  readonly name: string;
  readonly creationTimestamp: string;
  readonly certPem: string;
  readonly keyPem: string;
}

interface SecretObject extends KubeObject {
  metadata?: { name?: string; creationTimestamp?: string; [k: string]: unknown };
  data?: Record<string, string>;
}

/** The key in a key Secret, or undefined (reported through `invalid` with the Secret's name) when it lacks tls.crt or tls.key. */
export function sealingKeyFromSecret(obj: KubeObject, invalid: (secret: string) => void): SealingKey | undefined {
  const s = obj as SecretObject;
  const name = s.metadata?.name ?? '';
  const crt = s.data?.['tls.crt'];
  const key = s.data?.['tls.key'];
  if (!crt || !key) {
    invalid(name);
    return undefined;
  }
  return { name, creationTimestamp: s.metadata?.creationTimestamp ?? '', certPem: Buffer.from(crt, 'base64').toString('utf8'), keyPem: Buffer.from(key, 'base64').toString('utf8') };
}

/** Newest first: creationTimestamp (RFC 3339 in UTC sorts as text), then name for a stable order. */
function newestFirst(a: SealingKey, b: SealingKey): number {
  if (a.creationTimestamp !== b.creationTimestamp) return a.creationTimestamp < b.creationTimestamp ? 1 : -1;
  return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
}

export function sortNewestFirst(keys: readonly SealingKey[]): SealingKey[] {
  return [...keys].sort(newestFirst);
}

/** Generates a key and stores it as a Bitnami-style key Secret (tls.key as PKCS#1 "RSA PRIVATE KEY"). */
export async function createSealingKey(kube: KubeClient, namespace: string, bits: number, log: Logger): Promise<SealingKey> {
  const pair = await createSelfSignedRsa('sealed-secret', bits);
  const keyPem = createPrivateKey(pair.keyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
  const created = await kube.create<SecretObject>(`/api/v1/namespaces/${namespace}/secrets`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { generateName: KEY_PREFIX, namespace, labels: { [KEY_LABEL]: KEY_LABEL_VALUE } },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(pair.certPem).toString('base64'), 'tls.key': Buffer.from(keyPem).toString('base64') },
  });
  const name = created.metadata?.name ?? '';
  log.info('generated a new sealing key', { namespace, secret: name, bits });
  return { name, creationTimestamp: created.metadata?.creationTimestamp ?? '', certPem: pair.certPem, keyPem };
}
