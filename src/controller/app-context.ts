// What a reconcile of one Application needs from the rest of the controller, injected.
import type { ApiFlavor } from '../api/flavor.js';
import type { KubeClient } from '../kube/client.js';
import type { Discovery } from '../kube/discovery.js';
import type { Informer } from '../kube/watch.js';
import type { Logger } from '../util/log.js';
import type { RepoCache } from '../source/repo-cache.js';
import type { DryRunCache } from './compare.js';
import type { EventRecorder } from './events.js';
import type { LiveCache } from './live-cache.js';
import type { RenderCache } from './app-source.js';
import type { WrittenApps } from './written-apps.js';
import type { Semaphore } from '../util/semaphore.js';
import type { SelfHealBackoff } from './self-heal-backoff.js';
import type { HealthCheck } from '../health/health.js';
import type { ClusterRegistry } from './clusters.js';

export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
export const IN_CLUSTER_NAME = 'in-cluster';

/** What the steps that touch the destination cluster use: its client, discovery and live cache. */
export interface ClusterView {
  readonly kube: KubeClient;
  readonly discovery: Discovery;
  readonly live: LiveCache;
}

export interface ControllerDeps {
  readonly flavor: ApiFlavor;
  /** The controller's own cluster (Applications, AppProjects, Secrets, Events, and in-cluster destinations). */
  readonly kube: KubeClient;
  readonly discovery: Discovery;
  readonly live: LiveCache;
  /** Destination clusters from cluster Secrets; resolves in-cluster to kube, discovery and live above. */
  readonly clusters: ClusterRegistry;
  readonly repos: RepoCache;
  readonly apps: Informer;
  readonly projects: Informer;
  readonly repoSecrets: Informer;
  readonly renderCache: RenderCache;
  readonly dryRuns: DryRunCache;
  readonly events: EventRecorder;
  readonly log: Logger;
  /** timeout.reconciliation: how often every Application is fully re-rendered and compared. */
  readonly reconciliationMs: number;
  /** fjord.status.heartbeat: the longest status.reconciledAt goes unwritten while nothing else changed. */
  readonly statusHeartbeatMs: number;
  readonly knownRefs: (url: string) => Map<string, string> | undefined;
  readonly now: () => Date;
  /** Our own last writes of Applications, newer than the informer until it catches up. */
  readonly written: WrittenApps;
  /**
   * Application key → the resourceVersion its last reconcile saw or wrote, for Applications that
   * reconcile left with nothing pending; the periodic pass skips those no event has woken since.
   */
  readonly settled: Map<string, string>;
  /** reposerver.parallelism.limit: how many renders may run at once. */
  readonly renderSlots: Semaphore;
  /** Age identities (from sops-age Secrets in the controller namespace) for SOPS-encrypted files. */
  readonly sopsIdentities: (appName: string) => string[] | Promise<string[]>;
  /** operation.processors: how many sync operations may apply at once. */
  readonly operationSlots: Semaphore;
  /** Backs off self-heal when drift keeps coming back. */
  readonly selfHeal: SelfHealBackoff;
  /** User-defined health checks (Lua, from the ConfigMap), keyed `group/Kind`. */
  readonly healthChecks: ReadonlyMap<string, HealthCheck>;
}
