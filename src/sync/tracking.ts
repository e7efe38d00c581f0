// How Fjord knows which Application owns an object: a tracking annotation whose value names the
// Application and the object itself (`app:group/Kind:namespace/name`). Copying the annotation onto
// another object (or an object into another namespace) does not make it managed, because the
// object part must match.
import type { KubeObject } from '../kube/client.js';

export interface ObjectKey {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

export function keyOf(obj: KubeObject): ObjectKey {
  return { group: groupOf(obj.apiVersion), kind: obj.kind ?? '', namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

export function keyString(k: ObjectKey): string {
  return `${k.group}/${k.kind}:${k.namespace}/${k.name}`;
}

export function trackingId(appName: string, k: ObjectKey): string {
  return `${appName}:${keyString(k)}`;
}

/** The Application an object belongs to, or undefined when the annotation is absent or not about this object. */
export function owningApp(obj: KubeObject, annotation: string): string | undefined {
  const annotations = obj.metadata?.['annotations'] as Record<string, string> | undefined;
  const value = annotations?.[annotation];
  if (!value) return undefined;
  const i = value.indexOf(':');
  if (i <= 0) return undefined;
  return value.slice(i + 1) === keyString(keyOf(obj)) ? value.slice(0, i) : undefined;
}

export function withTracking(obj: KubeObject, annotation: string, appName: string): KubeObject {
  const metadata = obj.metadata ?? {};
  const annotations = { ...(metadata['annotations'] as Record<string, string> | undefined), [annotation]: trackingId(appName, keyOf(obj)) };
  return { ...obj, metadata: { ...metadata, annotations } };
}
