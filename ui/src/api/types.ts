// The JSON shapes of Fjord's HTTP API (docs/api.md) that the UI reads. Application status follows
// src/controller/app-status.ts (Argo CD's field names); everything is optional where the server may omit it.

export type SyncCode = 'Synced' | 'OutOfSync' | 'Unknown';
export type HealthCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export type OperationPhase = 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';
export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';

export const SYNC_CODES: readonly SyncCode[] = ['Synced', 'OutOfSync', 'Unknown'];
export const HEALTH_CODES: readonly HealthCode[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

export interface ResourceKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  version?: string;
}

export interface Source { repoURL: string; path?: string; targetRevision?: string; chart?: string }

export interface ResourceStatus extends ResourceKey {
  status?: SyncCode;
  health?: { status: HealthCode; message?: string };
  requiresPruning?: boolean;
  syncWave?: number;
}

export interface ResourceResult extends ResourceKey {
  status: string;
  message?: string;
  syncPhase?: SyncPhase;
  syncWave?: number;
  hookType?: string;
  hookPhase?: string;
  drift?: string;
}

export interface OperationState {
  operation?: { sync?: { revision?: string; prune?: boolean }; initiatedBy?: { automated?: boolean; username?: string } };
  phase: OperationPhase;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  syncResult?: { revision?: string; resources?: ResourceResult[] };
  retryCount?: number;
}

export interface RevisionMetadata { author?: string; date?: string; message?: string }

export interface HistoryEntry {
  id: number;
  revision: string;
  deployedAt?: string;
  deployStartedAt?: string;
  source?: Source;
  initiatedBy?: { automated?: boolean; username?: string };
  revisionMetadata?: RevisionMetadata;
}

export interface Condition { type: string; message: string; lastTransitionTime?: string }

export interface Application {
  metadata: { name: string; namespace?: string; uid?: string; labels?: Record<string, string>; creationTimestamp?: string; resourceVersion?: string };
  spec: {
    project?: string;
    source?: Source;
    sources?: Source[];
    destination?: { server?: string; name?: string; namespace?: string };
    syncPolicy?: { automated?: { prune?: boolean; selfHeal?: boolean } | null };
  };
  status?: {
    sync?: { status?: SyncCode; revision?: string };
    health?: { status?: HealthCode; message?: string };
    resources?: ResourceStatus[];
    conditions?: Condition[];
    reconciledAt?: string;
    operationState?: OperationState;
    history?: HistoryEntry[];
    summary?: { images?: string[] };
  };
}

export interface AppList { items: Application[]; metadata: { continue?: string; total?: number } }

export interface ResourceNode extends ResourceKey {
  uid?: string;
  parentRefs?: (ResourceKey & { uid?: string })[];
  health?: { status: HealthCode; message?: string };
  status?: SyncCode;
  info?: { name: string; value: string }[];
  images?: string[];
  createdAt?: string;
}

export interface ManagedResource extends ResourceKey {
  status?: SyncCode;
  health?: { status: HealthCode; message?: string };
  liveState?: Record<string, unknown> | null;
  targetState?: Record<string, unknown> | null;
  diff?: string;
}

export interface KubeEvent {
  type: string;
  reason: string;
  message: string;
  firstTimestamp?: string;
  lastTimestamp?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
}

export interface UserInfo { loggedIn: boolean; subject?: string; roles?: string[] }

export interface StreamEvent { type: 'ADDED' | 'MODIFIED' | 'DELETED'; application: Application }

export interface SyncRequest {
  revision?: string;
  prune?: boolean;
  dryRun?: boolean;
  resources?: ResourceKey[];
}
