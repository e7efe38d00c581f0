// The order in which a sync applies resources, as Argo CD does: phase, then sync wave, then kind
// (Namespaces and CRDs first, custom resources last), then name. Pruning runs in reverse.
import { resourceAnnotation } from '../api/flavor.js';
import type { KubeObject } from '../kube/client.js';

export const KIND_ORDER: readonly string[] = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList',
  'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController',
  'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress',
  'APIService',
];

const KIND_RANK = new Map(KIND_ORDER.map((k, i) => [k, i]));

export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export const PHASE_ORDER: readonly SyncPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

export function kindRank(kind: string | undefined): number {
  return KIND_RANK.get(kind ?? '') ?? KIND_ORDER.length;
}

/** The sync wave of an object: its `sync-wave` annotation (Fjord's or Argo CD's), default 0. */
export function syncWave(obj: KubeObject): number {
  const raw = resourceAnnotation(obj.metadata?.['annotations'] as Record<string, string> | undefined, 'sync-wave');
  if (raw === undefined) return 0;
  const n = Number.parseInt(raw.trim(), 10);
  return Number.isFinite(n) ? n : 0;
}

export interface Ordered {
  readonly phase: SyncPhase;
  readonly wave: number;
  readonly object: KubeObject;
}

export function compareForSync(a: Ordered, b: Ordered): number {
  return PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase)
    || a.wave - b.wave
    || kindRank(a.object.kind) - kindRank(b.object.kind)
    || (a.object.metadata?.name ?? '').localeCompare(b.object.metadata?.name ?? '');
}

/** Groups ordered items into consecutive (phase, wave) steps. */
export function waves<T extends Ordered>(items: readonly T[]): T[][] {
  const sorted = [...items].sort(compareForSync);
  const out: T[][] = [];
  for (const item of sorted) {
    const last = out.at(-1);
    const head = last?.[0];
    if (last && head && head.phase === item.phase && head.wave === item.wave) last.push(item);
    else out.push([item]);
  }
  return out;
}
