// Argo CD under test: its application controller, repo-server and API server (for the webhook), all
// from the one `argocd` binary built from the Go module proxy (tools/argocd, `scripts/build-go.sh
// argocd`), and Debian's redis-server as its cache; run as local processes against the cluster the
// way Argo CD's own end-to-end tests run them (ARGOCD_FAKE_IN_CLUSTER: the in-cluster destination is
// the kubeconfig's cluster). One Application per app, with the same spec Fjord gets.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../src/kube/client.js';
import type { Informer } from '../../src/kube/watch.js';
import { freePorts, LOOPBACK, waitFor } from '../../src/dev/net.js';
import { Child } from './child.js';
import { APPS_NS, LATENCY_NS, appName, appPath } from './workload.js';
import { applicationReady, benchApplication, createAll, installCrds, startInformer, type ToolContext, type ToolUnderTest } from './tool.js';

const NS = 'argocd';
const VERSION = 'v3.2.5';
const APPS = `/apis/argoproj.io/v1alpha1/namespaces/${NS}/applications`;
/** The application controller's defaults: a refresh every 120 s plus up to 60 s of jitter. */
const RESYNC_S = 120;
const JITTER_S = 60;

/** Builds Argo CD once (skipped when built), installs redis-server if missing; returns the folder of binaries and CRDs. */
export function buildArgoCd(root: string): string {
  execFileSync('bash', [join(root, 'scripts', 'build-go.sh'), 'argocd'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const bin = join(root, '.kube-bin', 'bin');
  for (const f of ['argocd', 'argocd-crds']) {
    if (!existsSync(join(bin, f))) throw new Error(`${join(bin, f)} is missing after scripts/build-go.sh argocd`);
  }
  return bin;
}

const application = (name: string, repoURL: string, path: string, namespace: string): KubeObject =>
  benchApplication('argoproj.io/v1alpha1', NS, { name, repoURL, path, namespace });

/** What an Argo CD install creates besides its Deployments: the settings objects and the default project. */
function installObjects(): { path: string; obj: KubeObject }[] {
  const labels = { 'app.kubernetes.io/part-of': 'argocd' };
  const meta = (name: string): NonNullable<KubeObject['metadata']> => ({ name, namespace: NS, labels });
  return [
    { path: `/api/v1/namespaces/${NS}/configmaps`, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('argocd-cm'), data: {} } },
    { path: `/api/v1/namespaces/${NS}/configmaps`, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('argocd-rbac-cm'), data: {} } },
    { path: `/api/v1/namespaces/${NS}/configmaps`, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('argocd-cmd-params-cm'), data: {} } },
    { path: `/api/v1/namespaces/${NS}/secrets`, obj: { apiVersion: 'v1', kind: 'Secret', metadata: meta('argocd-secret'), stringData: { 'server.secretkey': randomBytes(32).toString('base64') } } },
    {
      path: `/apis/argoproj.io/v1alpha1/namespaces/${NS}/appprojects`,
      obj: {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace: NS },
        spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
      },
    },
  ];
}

/** Resolves when `url` answers 200; gives up when the child exits, or after `timeoutMs`. */
async function answering(url: string, child: Child, timeoutMs: number): Promise<void> {
  await waitFor(`${child.name} at ${url} (its log: ${child.name}.log)`, async () => {
    const res = await fetch(url);
    await res.arrayBuffer();
    return res.ok ? true : undefined;
  }, { timeoutMs, intervalMs: 250, abortIf: () => (child.running ? undefined : `exited; last output: ${child.output().slice(-1500)}`) });
}

export class ArgoCdUnderTest implements ToolUnderTest {
  readonly name = 'Argo CD' as const;
  readonly pollIntervalMs = (RESYNC_S + JITTER_S) * 1000;
  readonly settings = `Argo CD ${VERSION} at its defaults: application controller (20 status and 10 operation processors, refresh every ${RESYNC_S} s plus up to ${JITTER_S} s of jitter, self-heal backoff 2 s ×3 up to 300 s), repo-server, redis-server 7 from Debian as its cache, and the API server for the webhook (a GitHub push event to /api/webhook); the processes' CPU and memory are summed`;

  private constructor(private readonly ctx: ToolContext, private readonly children: Child[], private readonly apps: Informer, private readonly apiPort: number) {}

  static async start(ctx: ToolContext, bin: string): Promise<ArgoCdUnderTest> {
    const kubectl = join(bin, 'kubectl');
    const crds = realpathSync(join(bin, 'argocd-crds'));
    await installCrds(kubectl, ctx.kubeconfig, crds);
    await ctx.kube.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    for (const { path, obj } of installObjects()) await ctx.kube.create(path, obj);
    const [redis, repo, repoMetrics, ctrlMetrics, api, apiMetrics] = await freePorts(6);
    const data = join(ctx.workDir, 'argocd-data');
    for (const d of ['tls', 'ssh', 'gpg-keys', 'gpg-source', 'home']) mkdirSync(join(data, d), { recursive: true });
    const env = {
      KUBECONFIG: ctx.kubeconfig, ARGOCD_FAKE_IN_CLUSTER: 'true', HOME: join(data, 'home'), PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      ARGOCD_TLS_DATA_PATH: join(data, 'tls'), ARGOCD_SSH_DATA_PATH: join(data, 'ssh'),
      ARGOCD_GNUPGHOME: join(data, 'gpg-keys'), ARGOCD_GPG_DATA_PATH: join(data, 'gpg-source'), ARGOCD_GPG_ENABLED: 'false',
    };
    const argocd = join(bin, 'argocd');
    const redisAddr = `${LOOPBACK}:${redis}`;
    const repoAddr = `${LOOPBACK}:${repo}`;
    const log = (name: string): string => join(ctx.workDir, `${name}.log`);
    const children: Child[] = [];
    try {
      children.push(Child.start('redis-server', 'redis-server', ['--port', String(redis), '--bind', LOOPBACK, '--save', '', '--appendonly', 'no'], { logFile: log('redis-server') }));
      await children[0]?.waitForLog(/Ready to accept connections/, 30_000);
      const repoServer = Child.start('argocd-repo-server', argocd, [
        '--address', LOOPBACK, '--port', String(repo), '--metrics-address', LOOPBACK, '--metrics-port', String(repoMetrics),
        '--disable-tls', '--redis', redisAddr, '--logformat', 'json', '--loglevel', 'info',
      ], { logFile: log('argocd-repo-server'), env: { ...env, ARGOCD_BINARY_NAME: 'argocd-repo-server' } });
      children.push(repoServer);
      await answering(`http://${LOOPBACK}:${repoMetrics}/metrics`, repoServer, 120_000);
      const controller = Child.start('argocd-application-controller', argocd, [
        '--namespace', NS, '--redis', redisAddr, '--repo-server', repoAddr, '--repo-server-plaintext',
        '--metrics-port', String(ctrlMetrics), '--logformat', 'json', '--loglevel', 'info',
      ], { logFile: log('argocd-application-controller'), env: { ...env, ARGOCD_BINARY_NAME: 'argocd-application-controller' } });
      children.push(controller);
      await answering(`http://${LOOPBACK}:${ctrlMetrics}/metrics`, controller, 120_000);
      const server = Child.start('argocd-server', argocd, [
        '--namespace', NS, '--redis', redisAddr, '--repo-server', repoAddr, '--repo-server-plaintext', '--insecure', '--disable-auth',
        '--dex-server', `http://${LOOPBACK}:9`, '--address', LOOPBACK, '--port', String(api), '--metrics-address', LOOPBACK, '--metrics-port', String(apiMetrics),
        '--logformat', 'json', '--loglevel', 'info',
      ], { logFile: log('argocd-server'), env: { ...env, ARGOCD_BINARY_NAME: 'argocd-server' } });
      children.push(server);
      await answering(`http://${LOOPBACK}:${api}/healthz`, server, 120_000);
      const apps = await startInformer(ctx.kube, APPS);
      return new ArgoCdUnderTest(ctx, children, apps, api ?? 0);
    } catch (e) {
      for (const c of children.reverse()) await c.stop();
      throw e;
    }
  }

  pids(): number[] {
    return this.children.map((c) => c.pid);
  }

  async createApps(n: number, repoURL: string): Promise<void> {
    await createAll(this.ctx.kube, APPS, Array.from({ length: n }, (_, i) => application(appName(i), repoURL, appPath(i), APPS_NS)));
  }

  async createLatencyApp(repoURL: string): Promise<void> {
    await this.ctx.kube.create(APPS, application('latency', repoURL, 'latency', LATENCY_NS));
  }

  readyApps(revision: string): number {
    return this.apps.list().filter((a) => a.metadata?.name !== 'latency' && applicationReady(a, revision)).length;
  }

  latencyAppReady(revision: string): boolean {
    return applicationReady(this.apps.get(NS, 'latency'), revision);
  }

  /**
   * Tells Argo CD about a push as a GitHub webhook does: a `push` event for the repository to the API
   * server's /api/webhook, which refreshes the Applications of that repository and branch.
   */
  async webhook(repoURL: string): Promise<string | undefined> {
    const url = `http://${LOOPBACK}:${this.apiPort}/api/webhook`;
    const payload = {
      ref: 'refs/heads/main', before: '0'.repeat(40), after: '1'.repeat(40),
      repository: { html_url: repoURL, clone_url: repoURL, default_branch: 'main' },
      commits: [{ added: [], modified: [], removed: [] }],
    };
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push' }, body: JSON.stringify(payload) });
      const text = await res.text();
      return res.ok ? undefined : `POST ${url}: ${res.status} ${text.slice(0, 300)}`;
    } catch (e) {
      return `POST ${url}: ${(e as Error).message}`;
    }
  }

  async stop(): Promise<void> {
    await this.apps.stop();
    for (const c of [...this.children].reverse()) await c.stop();
  }
}
