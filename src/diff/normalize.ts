// What is compared when deciding whether live matches Git: the object minus what the API server owns
// (managed fields, resource version, generation, uid, timestamps) and minus status, which Git never
// sets. Both sides go through the same function.
import type { KubeObject } from '../kube/client.js';

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink', 'deletionGracePeriodSeconds'] as const;
const SERVER_METADATA_SET: ReadonlySet<string> = new Set(SERVER_METADATA);
const SERVER_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision'] as const;

export function normalizeForCompare(obj: KubeObject): KubeObject {
  // Only what is kept is copied: managedFields and status are most of a busy object's size.
  const { status: _status, metadata, ...rest } = obj;
  const copy = structuredClone(rest) as KubeObject;
  if (metadata) {
    const meta: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(metadata)) if (!SERVER_METADATA_SET.has(k)) meta[k] = v;
    const kept = structuredClone(meta);
    const annotations = kept['annotations'] as Record<string, string> | undefined;
    if (annotations) {
      for (const a of SERVER_ANNOTATIONS) Reflect.deleteProperty(annotations, a);
      if (Object.keys(annotations).length === 0) Reflect.deleteProperty(kept, 'annotations');
    }
    copy.metadata = kept;
  }
  return copy;
}

/** Deep equality of JSON values; object key order does not matter, array order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}
