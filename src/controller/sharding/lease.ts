// The Lease each controller replica holds in Fjord's namespace (coordination.k8s.io/v1): who holds it,
// when it was last renewed, for how long it counts, and the member view the replica works under
// (annotation `fjord.dev/shard-view`, a JSON list of replica IDs; empty means it claims nothing).
import type { KubeObject } from '../../kube/client.js';

export const MEMBER_LABEL = 'fjord.dev/shard-member';
export const VIEW_ANNOTATION = 'fjord.dev/shard-view';
export const LEASE_PREFIX = 'fjord-controller-';

export function leasesPath(namespace: string): string {
  return `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
}

/** A Lease name for a replica ID: lower-case DNS characters, at most 253 long. */
export function leaseName(replicaId: string): string {
  const safe = replicaId.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return `${LEASE_PREFIX}${safe || 'replica'}`.slice(0, 253).replace(/[-.]+$/, '');
}

/** A Kubernetes MicroTime (RFC 3339 with exactly six fractional digits). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface LeaseRecord {
  readonly name: string;
  readonly holder: string;
  readonly durationMs: number;
  /** The members the holder works under; empty when it claims nothing. */
  readonly view: readonly string[];
  readonly resourceVersion: number;
}

/** The replica's lease as a whole object (for create). */
export function leaseObject(namespace: string, replicaId: string, durationMs: number, view: readonly string[], nowMs: number): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: { name: leaseName(replicaId), namespace, labels: { [MEMBER_LABEL]: 'true' }, annotations: { [VIEW_ANNOTATION]: JSON.stringify(view) } },
    spec: { holderIdentity: replicaId, leaseDurationSeconds: Math.max(1, Math.round(durationMs / 1000)), acquireTime: microTime(nowMs), renewTime: microTime(nowMs) },
  };
}

/** A merge patch that renews the lease and, when given, publishes a new view. */
export function renewPatch(nowMs: number, view?: readonly string[]): KubeObject {
  return {
    ...(view ? { metadata: { annotations: { [VIEW_ANNOTATION]: JSON.stringify(view) } } } : {}),
    spec: { renewTime: microTime(nowMs) },
  };
}

function parseView(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((m): m is string => typeof m === 'string') : [];
  } catch {
    return [];
  }
}

/** The record of a Fjord member Lease; undefined for a lease without holder or resourceVersion. */
export function leaseRecord(obj: KubeObject): LeaseRecord | undefined {
  const meta = obj.metadata ?? {};
  const spec = (obj['spec'] ?? {}) as { holderIdentity?: string; leaseDurationSeconds?: number };
  const rv = Number(meta['resourceVersion']);
  const name = meta.name;
  if (!name || !spec.holderIdentity || !Number.isFinite(rv)) return undefined;
  const annotations = (meta['annotations'] ?? {}) as Record<string, string>;
  return { name, holder: spec.holderIdentity, durationMs: (spec.leaseDurationSeconds ?? 15) * 1000, view: parseView(annotations[VIEW_ANNOTATION]), resourceVersion: rv };
}
