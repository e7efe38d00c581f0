// The controller process: informers for Applications, AppProjects and repository Secrets, the live
// cache of managed objects, the revision poller, and one keyed work queue that reconciles each
// Application (never twice at once). Built from injected parts; `stop()` ends everything.
import type { ApiFlavor } from '../api/flavor.js';
import { applicationPath } from '../api/flavor.js';
import { KubeApiError, type KubeClient, type KubeObject } from '../kube/client.js';
import { Discovery } from '../kube/discovery.js';
import { createInformer, type Informer } from '../kube/watch.js';
import { jsonEqual } from '../diff/normalize.js';
import { defaultProject } from '../install/manifests.js';
import { RepoCache } from '../source/repo-cache.js';
import type { Logger } from '../util/log.js';
import { reconcileApplication } from './app-reconciler.js';
import type { ControllerDeps } from './app-context.js';
import { RenderCache } from './app-source.js';
import { DryRunCache } from './compare.js';
import type { ControllerConfig } from './config.js';
import { ClusterRegistry } from './clusters.js';
import { EventRecorder } from './events.js';
import { LiveCache } from './live-cache.js';
import { WorkQueue, type ReconcileResult } from './queue.js';
import { WrittenApps } from './written-apps.js';
import { Semaphore } from '../util/semaphore.js';
import { SelfHealBackoff } from './self-heal-backoff.js';
import { luaHealthChecks } from '../health/lua.js';
import { ageIdentitiesFrom, SOPS_SECRET_TYPE } from '../secrets/sops/rendered.js';
import { appAgeIdentities } from '../secrets/sops/app-keys.js';
import { credentialsFor } from './repo-credentials.js';
import { repoPermitted } from '../project/policy.js';
import { appKey, RevisionPoller } from './revision-poller.js';
import { Shard, type ShardSettings } from './sharding/shard.js';

export interface ManagerOptions {
  readonly kube: KubeClient;
  readonly flavor: ApiFlavor;
  readonly config: ControllerConfig;
  readonly cacheDir: string;
  readonly log: Logger;
  readonly allowFileRepos?: boolean;
  /** Namespace holding Applications, AppProjects and repository Secrets (default: the flavor's). */
  readonly namespace?: string;
  /** Observers for metrics: each reconcile's duration and outcome, each request to a Git remote. */
  readonly observe?: Observers;
  /**
   * Sharing the Applications with other replicas in the namespace through Leases (on by default, with
   * a generated replica ID; see docs/adr/0010-sharding.md); `false`: this replica owns every one.
   */
  readonly shard?: ShardSettings | false;
}

/** How a reconcile ended: it ran, it threw, or it found nothing changed since a settled one and skipped the compare. */
export type ReconcileOutcome = 'success' | 'error' | 'unchanged';

export interface Observers {
  readonly reconcile?: (seconds: number, outcome: ReconcileOutcome) => void;
  readonly git?: (op: string, repo: string, seconds: number, ok: boolean) => void;
}

/** Runs a handler and reports its duration and outcome. */
async function observed(fn: () => Promise<ReconcileResult>, report: Observers['reconcile']): Promise<ReconcileResult> {
  const started = performance.now();
  let outcome: ReconcileOutcome = 'error';
  try {
    const r = await fn();
    outcome = r.unchanged ? 'unchanged' : 'success';
    return r;
  } finally {
    report?.((performance.now() - started) / 1000, outcome);
  }
}

/** Changes that matter for reconciling: anything but status and server bookkeeping. */
function meaningfulChange(old: KubeObject | undefined, obj: KubeObject): boolean {
  if (!old) return true;
  const strip = (o: KubeObject): unknown => {
    const { status: _s, ...rest } = o;
    const { resourceVersion: _r, managedFields: _m, ...meta } = o.metadata ?? {};
    return { ...rest, metadata: meta };
  };
  return !jsonEqual(strip(old), strip(obj));
}

/** Extracted trees of commits no render asked for in this long are deleted (ADR 5). */
const TREE_RETENTION_MS = 60 * 60_000;
const TREE_PRUNE_EVERY_MS = 10 * 60_000;

async function pruneSourceTrees(repos: RepoCache, log: Logger): Promise<void> {
  try {
    const trees = await repos.pruneTrees(TREE_RETENTION_MS);
    if (trees > 0) log.info('removed extracted source trees no render used for an hour', { trees });
  } catch (e) {
    log.warn('could not prune the source cache', { error: (e as Error).message });
  }
}

export class ControllerManager {
  private constructor(
    private readonly queue: WorkQueue,
    private readonly informers: Informer[],
    private readonly poller: RevisionPoller,
    readonly deps: ControllerDeps,
    private readonly holder: { observe?: Observers; shard?: Shard; pruner?: NodeJS.Timeout },
  ) {}

  /** Reports reconciles and Git requests from now on (metrics attached after start). */
  observeWith(observe: Observers): void {
    this.holder.observe = observe;
  }

  static async start(opts: ManagerOptions): Promise<ControllerManager> {
    const { kube, log } = opts;
    const flavor = opts.namespace ? { ...opts.flavor, namespace: opts.namespace } : opts.flavor;
    await ensureDefaultProject(kube, flavor);
    const healthChecks = luaHealthChecks(opts.config.healthScripts);
    const holder: { queue?: WorkQueue; observe?: Observers; shard?: Shard; pruner?: NodeJS.Timeout } = { ...(opts.observe ? { observe: opts.observe } : {}) };
    const mine = (key: string): boolean => opts.shard === false || (holder.shard?.owns(key) ?? false);
    const gated = async (key: string, fn: () => Promise<ReconcileResult>): Promise<ReconcileResult> => (opts.shard === false ? fn() : (await holder.shard?.run(key, fn)) ?? {});
    // Why an Application was woken is logged at debug: "why does this app keep reconciling?"
    const enqueue = (key: string, reason: string): void => {
      if (!mine(key)) return;
      log.debug('woken', { app: key, reason });
      holder.queue?.add(key);
    };
    const enqueueAll = (reason: string): void => { for (const a of apps.list()) enqueue(appKey(a), reason); };
    const nsPath = `/apis/${flavor.group}/${flavor.version}/namespaces/${flavor.namespace}`;
    const written = new WrittenApps();
    const settled = new Map<string, string>();
    const apps = createInformer(kube, {
      path: `${nsPath}/applications`,
      onEvent: (type, obj, old) => {
        if (type === 'DELETED') { written.forget(appKey(obj)); settled.delete(appKey(obj)); }
        if (type !== 'DELETED' && meaningfulChange(old, obj)) enqueue(appKey(obj), `Application ${type.toLowerCase()}`);
      },
      log: (m) => { log.debug(m); },
    });
    const projects = createInformer(kube, { path: `${nsPath}/appprojects`, onEvent: (type, p) => { enqueueAll(`AppProject ${p.metadata?.name ?? ''} ${type.toLowerCase()}`); } });
    // Credentials and age keys are read by every reconcile: a change wakes them all, like a project's.
    const repoSecrets = createInformer(kube, { path: `/api/v1/namespaces/${flavor.namespace}/secrets`, labelSelector: `${flavor.secretTypeLabel} in (repository,repo-creds,${SOPS_SECRET_TYPE})`, onEvent: (type, s) => { enqueueAll(`Secret ${s.metadata?.name ?? ''} ${type.toLowerCase()}`); } });
    // Objects carry the owning Application's name only: another Fjord (another namespace) on the same
    // cluster sees the events of its objects too, and they must not wake a name this one does not have.
    const onOwnedChange = (app: string, obj: KubeObject): void => {
      if (apps.get(flavor.namespace, app)) enqueue(`${flavor.namespace}/${app}`, `${obj.kind ?? 'object'} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name ?? ''} changed`);
    };
    const live = new LiveCache({ kube, trackingAnnotation: flavor.trackingAnnotation, onOwnedChange, log: (m) => { log.debug(m); }, healthChecks });
    const discovery = new Discovery(kube);
    const clusters = new ClusterRegistry({ kube, flavor, log, local: { kube, discovery, live }, onOwnedChange, healthChecks, onChange: () => { enqueueAll('destination clusters changed'); } });
    const repos = new RepoCache({ root: opts.cacheDir, ...(opts.allowFileRepos ? { allowFileUrls: true } : {}), onRemote: (...a) => { holder.observe?.git?.(...a); } });
    const credentials = (url: string): ReturnType<typeof credentialsFor> => credentialsFor(url, repoSecrets.list(), flavor.secretTypeLabel);
    const poller = new RevisionPoller({ repos, intervalMs: opts.config.pollIntervalMs, apps: () => apps.list().filter((a) => mine(appKey(a)) && repoPermitted(a, (p) => projects.get(flavor.namespace, p))), credentials, enqueue: (key) => { enqueue(key, 'behind the commit its tracked ref points to, or its repository answers again'); }, log });
    const deps: ControllerDeps = {
      flavor, kube, discovery, live, clusters, repos, apps, projects, repoSecrets,
      renderCache: new RenderCache(), dryRuns: new DryRunCache(), events: new EventRecorder(kube, log), log,
      reconciliationMs: opts.config.reconciliationMs, statusHeartbeatMs: opts.config.statusHeartbeatMs, knownRefs: (url) => poller.knownRefs(url), now: () => new Date(), written, settled, renderSlots: new Semaphore(opts.config.repoParallelism),
      sopsIdentities: appAgeIdentities({ kube, namespace: flavor.namespace, application: (n) => apps.get(flavor.namespace, n), defaults: () => ageIdentitiesFrom(repoSecrets.list().filter((s) => (s.metadata?.['labels'] as Record<string, string> | undefined)?.[flavor.secretTypeLabel] === SOPS_SECRET_TYPE)) }), operationSlots: new Semaphore(opts.config.operationProcessors), selfHeal: new SelfHealBackoff(), healthChecks,
    };
    const queue = new WorkQueue({
      name: 'applications', concurrency: opts.config.statusProcessors,
      handler: (key, run) => gated(key, () => observed(() => reconcileApplication(deps, key, run), holder.observe?.reconcile)),
      onError: (key, err, retryInMs) => { log.error('reconcile failed', { app: key, error: (err as Error).message, retryInMs }); },
    });
    holder.queue = queue;
    for (const i of [apps, projects, repoSecrets, clusters]) i.start();
    await Promise.all([apps.synced(), projects.synced(), repoSecrets.synced(), clusters.synced()]);
    if (opts.shard !== false) holder.shard = await Shard.start({ kube, namespace: flavor.namespace, log, keys: () => apps.list().map(appKey), enqueue: (key) => { holder.queue?.add(key); } }, opts.shard);
    enqueueAll('controller started');
    poller.start();
    holder.pruner = setInterval(() => { void pruneSourceTrees(repos, log); }, TREE_PRUNE_EVERY_MS).unref();
    log.info('controller started', { namespace: flavor.namespace, group: flavor.group, applications: apps.list().length, replica: holder.shard?.replicaId });
    return new ControllerManager(queue, [apps, projects, repoSecrets], poller, deps, holder);
  }

  /** The Applications the controller sees (from its informer cache). */
  applications(): KubeObject[] {
    return this.deps.apps.list();
  }

  /**
   * A push was announced for a repository (webhook): ask it now, and reconcile the given
   * Applications (those whose repository, revision and paths match) even if the ref did not move.
   */
  async repositoryPushed(repoUrl: string, appKeys: readonly string[]): Promise<void> {
    await this.poller.pollRepository(repoUrl);
    const others: string[] = [];
    for (const key of appKeys) {
      if (this.holder.shard === undefined || this.holder.shard.owns(key)) this.queue.add(key);
      else others.push(key);
    }
    for (let i = 0; i < others.length; i += 20) await Promise.all(others.slice(i, i + 20).map((key) => this.forwardRefresh(key)));
  }

  /**
   * The push concerns an Application another replica owns: the refresh annotation wakes it there,
   * and makes it ask the repository instead of waiting for its own next poll. Not set again while
   * one is pending, so a flood of webhooks costs one patch per Application.
   */
  private async forwardRefresh(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const app = this.deps.apps.get(namespace, name);
    const annotation = this.deps.flavor.refreshAnnotation;
    if (!app || (app.metadata?.['annotations'] as Record<string, string> | undefined)?.[annotation] !== undefined) return;
    const path = applicationPath(this.deps.flavor, namespace, name);
    try {
      await this.deps.kube.request('PATCH', path, { body: { metadata: { annotations: { [annotation]: 'normal' } } }, contentType: 'application/merge-patch+json' });
    } catch (e) {
      this.deps.log.warn('could not pass a webhook on to the replica that owns the Application', { app: key, error: (e as Error).message });
    }
  }

  /** Applications waiting for a worker. */
  queueDepth(): number {
    return this.queue.depth;
  }

  /** Resolves when no Application is waiting or being reconciled (for tests and benchmarks). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops everything; `releaseLease: false` leaves the shard lease to expire, as a crash would (for tests). */
  async stop(opts: { releaseLease?: boolean } = {}): Promise<void> {
    clearInterval(this.holder.pruner);
    await this.poller.stop();
    await this.queue.shutdown();
    await this.deps.events.flush(5000);
    await this.holder.shard?.stop(opts.releaseLease ?? true);
    await this.deps.live.stop();
    await this.deps.clusters.stop();
    await Promise.all(this.informers.map((i) => i.stop()));
    await this.deps.repos.close();
  }
}

async function ensureDefaultProject(kube: KubeClient, flavor: ApiFlavor): Promise<void> {
  const path = `/apis/${flavor.group}/${flavor.version}/namespaces/${flavor.namespace}/appprojects/default`;
  if (await kube.getOrUndefined(path)) return;
  try {
    await kube.create(`/apis/${flavor.group}/${flavor.version}/namespaces/${flavor.namespace}/appprojects`, defaultProject(flavor));
  } catch (e) {
    if (!(e instanceof KubeApiError && e.status === 409)) throw e;
  }
}
