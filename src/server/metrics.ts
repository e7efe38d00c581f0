// Prometheus metrics with the names people already alert on: controller-runtime's reconcile metrics
// and work queue depth, Argo CD's app info and sync totals, git request counts and durations, and
// API request durations. One registry per process (never the global one), so tests build their own.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { KubeObject } from '../kube/client.js';
import type { ReconcileOutcome } from '../controller/manager.js';

export interface AppSource {
  applications(): KubeObject[];
}

const SYNC_PHASES = ['Succeeded', 'Failed', 'Error'] as const;

export class Metrics {
  readonly registry = new Registry();
  readonly reconcileDuration = new Histogram({
    name: 'fjord_app_reconcile_duration_seconds', help: 'Duration of Application reconciles.', labelNames: ['result'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60], registers: [this.registry],
  });
  readonly reconcileTotal = new Counter({ name: 'fjord_app_reconcile_total', help: 'Application reconciles by result (unchanged: a periodic reconcile found nothing changed since the last and skipped the compare).', labelNames: ['result'] as const, registers: [this.registry] });
  readonly syncTotal = new Counter({ name: 'fjord_app_sync_total', help: 'Finished sync operations by phase.', labelNames: ['name', 'project', 'phase'] as const, registers: [this.registry] });
  readonly gitRequests = new Counter({ name: 'fjord_git_request_total', help: 'Requests to Git remotes.', labelNames: ['repo', 'request_type', 'result'] as const, registers: [this.registry] });
  readonly gitDuration = new Histogram({
    name: 'fjord_git_request_duration_seconds', help: 'Duration of requests to Git remotes.', labelNames: ['repo', 'request_type'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry],
  });
  readonly apiDuration = new Histogram({
    name: 'fjord_api_request_duration_seconds', help: 'Duration of HTTP API requests.', labelNames: ['method', 'route', 'code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], registers: [this.registry],
  });
  private appSource: AppSource | undefined;
  private queueDepth: (() => number) | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'fjord_' });
    for (const result of ['success', 'error', 'unchanged']) this.reconcileTotal.inc({ result }, 0);
    const apps = (): KubeObject[] => this.appSource?.applications() ?? [];
    const depth = (): number => this.queueDepth?.() ?? 0;
    new Gauge({
      name: 'fjord_app_info', help: 'One series per Application with its sync and health status.',
      labelNames: ['name', 'namespace', 'project', 'dest_server', 'dest_namespace', 'sync_status', 'health_status', 'operation'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const app of apps()) this.set(appLabels(app), 1);
      },
    });
    new Gauge({
      name: 'workqueue_depth', help: 'Current depth of the work queue.', labelNames: ['name'] as const, registers: [this.registry],
      collect() { this.set({ name: 'applications' }, depth()); },
    });
  }

  watchApplications(source: AppSource): void {
    this.appSource = source;
  }

  watchQueue(depth: () => number): void {
    this.queueDepth = depth;
  }

  /** What the controller reports to: reconcile durations and outcomes, Git requests. */
  controllerObservers(): { reconcile: (seconds: number, result: ReconcileOutcome) => void; git: (op: string, repo: string, seconds: number, ok: boolean) => void } {
    return {
      reconcile: (seconds, result) => {
        this.reconcileDuration.observe({ result }, seconds);
        this.reconcileTotal.inc({ result });
      },
      git: (op, repo, seconds, ok) => { this.observeGit(op, repo, seconds, ok); },
    };
  }

  observeGit(op: string, repo: string, seconds: number, ok: boolean): void {
    this.gitRequests.inc({ repo, request_type: op, result: ok ? 'success' : 'error' });
    this.gitDuration.observe({ repo, request_type: op }, seconds);
  }

  /** Counts a sync operation when an Application's status shows it finished (called with each watch event). */
  observeApplication(app: KubeObject, old: KubeObject | undefined): void {
    const now = finishedOperation(app);
    if (!now || now.key === finishedOperation(old)?.key) return;
    if (!(SYNC_PHASES as readonly string[]).includes(now.phase)) return;
    this.syncTotal.inc({ name: app.metadata?.name ?? '', project: projectOf(app), phase: now.phase });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

function projectOf(app: KubeObject): string {
  return (app['spec'] as { project?: string } | undefined)?.project ?? 'default';
}

function finishedOperation(app: KubeObject | undefined): { key: string; phase: string } | undefined {
  const op = (app?.['status'] as { operationState?: { phase?: string; finishedAt?: string; startedAt?: string } } | undefined)?.operationState;
  if (!op?.finishedAt || !op.phase) return undefined;
  return { key: `${op.startedAt ?? ''}/${op.finishedAt}`, phase: op.phase };
}

function appLabels(app: KubeObject): Record<string, string> {
  const spec = app['spec'] as { destination?: { server?: string; name?: string; namespace?: string } } | undefined;
  const status = app['status'] as { sync?: { status?: string }; health?: { status?: string }; operationState?: { phase?: string } } | undefined;
  return {
    name: app.metadata?.name ?? '', namespace: app.metadata?.namespace ?? '', project: projectOf(app),
    dest_server: spec?.destination?.server ?? spec?.destination?.name ?? '', dest_namespace: spec?.destination?.namespace ?? '',
    sync_status: status?.sync?.status ?? 'Unknown', health_status: status?.health?.status ?? 'Unknown', operation: status?.operationState?.phase ?? '',
  };
}
