// The shape of Application status Fjord writes (Argo CD's field names), and helpers to build it.
import type { HealthStatus } from '../health/types.js';

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';
export type OperationPhase = 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';
export type ResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';

export interface ResourceStatus {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: SyncStatusCode;
  health?: { status: HealthStatus; message?: string };
  requiresPruning?: boolean;
  syncWave?: number;
}

export interface Condition {
  type: string;
  message: string;
  lastTransitionTime: string;
}

export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: ResultCode;
  message: string;
  syncPhase: 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
  syncWave: number;
  hookType?: string;
  hookPhase?: 'Running' | 'Succeeded' | 'Failed';
  /** Drift forensics, for objects re-applied by self-heal: which field managers changed which fields. */
  drift?: string;
}

export interface RevisionMeta {
  author?: string;
  date?: string;
  message?: string;
}

export interface OperationState {
  operation: {
    sync: { revision: string; prune: boolean; dryRun?: boolean; resources?: { group: string; kind: string; namespace: string; name: string }[]; syncOptions?: string[] };
    initiatedBy: { automated?: boolean; username?: string };
  };
  phase: OperationPhase;
  message: string;
  startedAt: string;
  finishedAt?: string;
  syncResult?: { revision: string; resources: ResourceResult[]; source?: unknown };
  retryCount?: number;
}

export interface HistoryEntry {
  id: number;
  revision: string;
  deployedAt: string;
  deployStartedAt: string;
  source: unknown;
  initiatedBy: { automated?: boolean; username?: string };
  revisionMetadata?: RevisionMeta;
}

export interface ApplicationStatus {
  sync: { status: SyncStatusCode; revision?: string; comparedTo?: { source: unknown; destination: unknown } };
  health: { status: HealthStatus; message?: string };
  resources: ResourceStatus[];
  conditions: Condition[];
  reconciledAt: string;
  sourceType?: string;
  summary: { images: string[] };
  operationState?: OperationState;
  history?: HistoryEntry[];
}

/** Keeps a condition's lastTransitionTime when the same condition was already present. */
export function mergeConditions(previous: readonly Condition[] | undefined, next: readonly Omit<Condition, 'lastTransitionTime'>[], now: string): Condition[] {
  return next.map((c) => {
    const before = previous?.find((p) => p.type === c.type && p.message === c.message);
    return { ...c, lastTransitionTime: before?.lastTransitionTime ?? now };
  });
}

/** Container images of the managed workloads, sorted and unique: status.summary.images. */
export function imagesOf(objects: readonly Record<string, unknown>[]): string[] {
  const images = new Set<string>();
  const visit = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) { for (const x of v) visit(x, key); return; }
    if (v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      if ((k === 'containers' || k === 'initContainers') && Array.isArray(child)) {
        for (const c of child) if (c && typeof c === 'object' && typeof (c as { image?: unknown }).image === 'string') images.add((c as { image: string }).image);
      } else if (k !== 'status' && k !== 'metadata') visit(child, k);
    }
  };
  for (const o of objects) visit(o);
  return [...images].sort();
}
