// Secret values never leave the process: every Secret shown in a diff, an API response or a log has
// its data and stringData values replaced. Equal values get equal masks and different values get
// different ones, so a diff still shows *that* a key changed without showing the value.
import { createHash, randomBytes } from 'node:crypto';
import type { KubeObject } from '../kube/client.js';

/** Per-process salt: masks cannot be compared across processes or brute-forced from a dictionary offline. */
const SALT = randomBytes(16);

function maskValue(value: unknown): string {
  const digest = createHash('sha256').update(SALT).update(String(value)).digest('hex').slice(0, 8);
  return `++++++++${digest}`;
}

export function isSecret(obj: KubeObject | undefined): boolean {
  return obj?.kind === 'Secret' && (obj.apiVersion === 'v1' || obj.apiVersion === undefined);
}

export function maskSecret(obj: KubeObject): KubeObject {
  if (!isSecret(obj)) return obj;
  const copy = structuredClone(obj);
  for (const field of ['data', 'stringData'] as const) {
    const values = copy[field] as Record<string, unknown> | undefined;
    if (!values || typeof values !== 'object') continue;
    copy[field] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, maskValue(v)]));
  }
  const annotations = copy.metadata?.['annotations'] as Record<string, string> | undefined;
  if (annotations?.['kubectl.kubernetes.io/last-applied-configuration']) annotations['kubectl.kubernetes.io/last-applied-configuration'] = maskValue(annotations['kubectl.kubernetes.io/last-applied-configuration']);
  return copy;
}
