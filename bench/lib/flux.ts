// Flux under test: source-controller, kustomize-controller and notification-controller (for the
// webhook Receiver) built from the Go module proxy (tools/flux, `scripts/build-go.sh flux`), run as
// local processes against the cluster with their CRDs from the module cache; one GitRepository per
// repository and one Kustomization per app.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../src/kube/client.js';
import type { Informer } from '../../src/kube/watch.js';
import { freePorts, LOOPBACK, waitFor } from '../../src/dev/net.js';
import { parseDuration } from '../../src/controller/config.js';
import { Child } from './child.js';
import { APPS_NS, LATENCY_NS, appName, appPath } from './workload.js';
import { createAll, installCrds, startInformer, type ToolContext, type ToolUnderTest } from './tool.js';

const NS = 'flux-system';
/** As in Flux's published benchmark (fluxcd/flux-benchmark): its defaults are 2 and 4. */
const SOURCE_CONCURRENCY = 10;
const KUSTOMIZE_CONCURRENCY = 20;
const GITREPOS = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories`;
const KUSTOMIZATIONS = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations`;
const RECEIVERS = `/apis/notification.toolkit.fluxcd.io/v1/namespaces/${NS}/receivers`;
/** The GitRepository of the latency app, which the webhook Receiver asks source-controller to fetch. */
const LATENCY_SOURCE = 'latency';

export interface FluxSettings {
  /** GitRepository spec.interval (how often each one fetches). */
  readonly sourceInterval: string;
  /** Kustomization spec.interval (how often each one re-applies, which is when drift is corrected). */
  readonly kustomizationInterval: string;
}

/** Builds the Flux controllers once (skipped when built) and returns the folder of binaries and CRDs. */
export function buildFlux(root: string): string {
  execFileSync('bash', [join(root, 'scripts', 'build-go.sh'), 'flux'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const bin = join(root, '.kube-bin', 'bin');
  for (const f of ['source-controller', 'kustomize-controller', 'notification-controller', 'flux-crds']) {
    if (!existsSync(join(bin, f))) throw new Error(`${join(bin, f)} is missing after scripts/build-go.sh flux`);
  }
  return bin;
}

const readyAt = (k: KubeObject | undefined, revision: string): boolean => {
  const st = k?.['status'] as { lastAppliedRevision?: string; conditions?: { type?: string; status?: string }[] } | undefined;
  return (st?.lastAppliedRevision ?? '').endsWith(revision) && (st?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
};

function gitRepository(name: string, url: string, interval: string): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name, namespace: NS },
    spec: { url, interval, timeout: '60s', ref: { branch: 'main' } },
  };
}

function kustomization(name: string, path: string, namespace: string, interval: string, source: string): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: NS },
    spec: { interval, path: `./${path}`, prune: true, wait: true, timeout: '2m', targetNamespace: namespace, sourceRef: { kind: 'GitRepository', name: source } },
  };
}

export class FluxUnderTest implements ToolUnderTest {
  readonly name = 'Flux' as const;
  readonly settings: string;
  readonly pollIntervalMs: number;

  private hookPath: string | undefined;

  private constructor(private readonly ctx: ToolContext, private readonly flux: FluxSettings, private readonly children: Child[], private readonly ks: Informer, private readonly receiverPort: number) {
    this.pollIntervalMs = parseDuration(flux.sourceInterval) ?? 60_000;
    this.settings = `source-controller v1.9.6 (--concurrent=${SOURCE_CONCURRENCY}) and kustomize-controller v1.9.5 (--concurrent=${KUSTOMIZE_CONCURRENCY}), the concurrency of Flux's own benchmark rig (fluxcd/flux-benchmark); one GitRepository per repository shared by its Kustomizations; GitRepository interval ${flux.sourceInterval}, Kustomization interval ${flux.kustomizationInterval}, wait: true, prune: true; the webhook variant posts to notification-controller v1.9.3's generic Receiver for the latency GitRepository`;
  }

  static async start(ctx: ToolContext, bin: string, flux: FluxSettings): Promise<FluxUnderTest> {
    const kubectl = join(bin, 'kubectl');
    const crds = realpathSync(join(bin, 'flux-crds')); // kubectl does not follow a symlinked folder
    await installCrds(kubectl, ctx.kubeconfig, crds);
    await ctx.kube.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const [m1, h1, storage, m2, h2, m3, h3, events, receiver] = await freePorts(9);
    const storageDir = join(ctx.workDir, 'flux-artifacts');
    mkdirSync(storageDir, { recursive: true });
    const env = { KUBECONFIG: ctx.kubeconfig, RUNTIME_NAMESPACE: NS };
    const common = ['--enable-leader-election=false', '--log-encoding=json', '--log-level=info'];
    const children = [
      Child.start('source-controller', join(bin, 'source-controller'), [
        ...common, `--metrics-addr=${LOOPBACK}:${m1}`, `--health-addr=${LOOPBACK}:${h1}`,
        `--storage-path=${storageDir}`, `--storage-addr=${LOOPBACK}:${storage}`, `--storage-adv-addr=${LOOPBACK}:${storage}`,
        `--concurrent=${SOURCE_CONCURRENCY}`,
      ], { logFile: join(ctx.workDir, 'source-controller.log'), env }),
      Child.start('kustomize-controller', join(bin, 'kustomize-controller'), [
        ...common, `--metrics-addr=${LOOPBACK}:${m2}`, `--health-addr=${LOOPBACK}:${h2}`, `--concurrent=${KUSTOMIZE_CONCURRENCY}`,
      ], { logFile: join(ctx.workDir, 'kustomize-controller.log'), env }),
      Child.start('notification-controller', join(bin, 'notification-controller'), [
        ...common, `--metrics-addr=${LOOPBACK}:${m3}`, `--health-addr=${LOOPBACK}:${h3}`,
        `--events-addr=${LOOPBACK}:${events}`, `--receiverAddr=${LOOPBACK}:${receiver}`,
      ], { logFile: join(ctx.workDir, 'notification-controller.log'), env }),
    ];
    try {
      for (const c of children) await c.waitForLog(/Starting workers/, 120_000);
      const ks = await startInformer(ctx.kube, KUSTOMIZATIONS);
      return new FluxUnderTest(ctx, flux, children, ks, receiver ?? 0);
    } catch (e) {
      for (const c of children) await c.stop();
      throw e;
    }
  }

  pids(): number[] {
    return this.children.map((c) => c.pid);
  }

  /** One GitRepository per repository, as Flux's docs set up a monorepo, and one Kustomization per app path. */
  private async create(source: string, names: readonly { name: string; path: string; namespace: string }[], repoURL: string): Promise<void> {
    await createAll(this.ctx.kube, GITREPOS, [gitRepository(source, repoURL, this.flux.sourceInterval)]);
    await createAll(this.ctx.kube, KUSTOMIZATIONS, names.map((a) => kustomization(a.name, a.path, a.namespace, this.flux.kustomizationInterval, source)));
  }

  async createApps(n: number, repoURL: string): Promise<void> {
    await this.create('apps', Array.from({ length: n }, (_, i) => ({ name: appName(i), path: appPath(i), namespace: APPS_NS })), repoURL);
  }

  async createLatencyApp(repoURL: string): Promise<void> {
    await this.create(LATENCY_SOURCE, [{ name: 'latency', path: 'latency', namespace: LATENCY_NS }], repoURL);
  }

  /**
   * Tells Flux about a push the way its docs set up a Git host's webhook: a generic Receiver
   * (notification-controller) whose call annotates the latency GitRepository for a fetch now. The
   * Receiver and its token Secret are made on the first call. Resolves with why it did not work, or
   * undefined when it did.
   */
  async webhook(): Promise<string | undefined> {
    try {
      const path = this.hookPath ?? await this.createReceiver();
      this.hookPath = path;
      const res = await fetch(`http://${LOOPBACK}:${this.receiverPort}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const text = await res.text();
      return res.ok ? undefined : `POST to the Receiver: ${res.status} ${text.slice(0, 300)}`;
    } catch (e) {
      return `the Flux Receiver: ${(e as Error).message}`;
    }
  }

  private async createReceiver(): Promise<string> {
    const name = 'latency-push';
    await this.ctx.kube.create(`/api/v1/namespaces/${NS}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS }, stringData: { token: randomBytes(16).toString('hex') } });
    await this.ctx.kube.create(RECEIVERS, {
      apiVersion: 'notification.toolkit.fluxcd.io/v1', kind: 'Receiver', metadata: { name, namespace: NS },
      spec: { type: 'generic', secretRef: { name }, resources: [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', name: LATENCY_SOURCE }] },
    });
    return waitFor(`Receiver ${NS}/${name} Ready with a webhook path`, async () => {
      const st = (await this.ctx.kube.get(`${RECEIVERS}/${name}`))['status'] as { webhookPath?: string; conditions?: { type?: string; status?: string }[] } | undefined;
      return st?.webhookPath && (st.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') ? st.webhookPath : undefined;
    }, { timeoutMs: 60_000, intervalMs: 250 });
  }

  readyApps(revision: string): number {
    return this.ks.list().filter((k) => k.metadata?.name !== 'latency' && readyAt(k, revision)).length;
  }

  latencyAppReady(revision: string): boolean {
    return readyAt(this.ks.get(NS, 'latency'), revision);
  }

  async suspendUnready(revision: string): Promise<number> {
    const unready = this.ks.list().filter((k) => k.metadata?.name !== 'latency' && !readyAt(k, revision));
    for (let i = 0; i < unready.length; i += 16) {
      await Promise.all(unready.slice(i, i + 16).map((k) => this.ctx.kube.request('PATCH', `${KUSTOMIZATIONS}/${k.metadata?.name ?? ''}`, { body: { spec: { suspend: true } }, contentType: 'application/merge-patch+json' })));
    }
    return unready.length;
  }

  async stop(): Promise<void> {
    await this.ks.stop();
    for (const c of this.children) await c.stop();
  }
}
