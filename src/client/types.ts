// The shapes the JSON API returns (docs/api.md). Applications are Argo CD's: the status fields are the
// ones the controller writes (src/controller/app-status.ts); everything is read-only on this side.
import type { ApplicationStatus, Condition, HistoryEntry, OperationState, ResourceResult, ResourceStatus } from '../controller/app-status.js';

export type { ApplicationStatus, Condition, HistoryEntry, OperationState, ResourceResult, ResourceStatus };

export interface ApplicationSourceView {
  readonly repoURL: string;
  readonly path?: string;
  readonly targetRevision?: string;
  readonly chart?: string;
}

export interface Application {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly creationTimestamp?: string; readonly annotations?: Record<string, string> };
  readonly spec: {
    readonly project?: string;
    readonly source?: ApplicationSourceView;
    readonly sources?: readonly ApplicationSourceView[];
    readonly destination: { readonly server?: string; readonly name?: string; readonly namespace?: string };
    readonly syncPolicy?: { readonly automated?: { readonly prune?: boolean; readonly selfHeal?: boolean; readonly enabled?: boolean } };
  };
  readonly operation?: unknown;
  readonly status?: Partial<ApplicationStatus>;
}

export interface ApplicationList {
  readonly items: Application[];
  readonly metadata: { readonly continue?: string; readonly total: number };
}

export interface ListQuery {
  readonly project?: readonly string[];
  readonly sync?: string;
  readonly health?: string;
  readonly selector?: string;
  readonly search?: string;
  readonly limit?: number;
  readonly continue?: string;
}

export interface ManagedResource {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly version?: string;
  readonly status?: string;
  readonly requiresPruning?: boolean;
  readonly health?: unknown;
  /** The file in Git the target state comes from, when known. */
  readonly file?: string | null;
  readonly liveState: unknown;
  readonly targetState: unknown;
  readonly diff?: string;
}

export interface ResourceRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface SyncRequest {
  readonly revision?: string;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly resources?: readonly ResourceRef[];
  readonly syncOptions?: { readonly items: readonly string[] };
}

export interface RollbackRequest {
  readonly id: number;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
}

export interface RevisionMetadata {
  readonly author?: string;
  readonly date?: string;
  readonly message?: string;
  readonly sha?: string;
}

export interface UserInfo {
  readonly loggedIn: boolean;
  readonly subject?: string;
  readonly roles?: readonly string[];
}

export interface ApplicationEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly application: Application;
}
