// `fjord demo`, the embedded default: a real local cluster, a local Git server holding the example
// config repository (the seeds' payment-service: a Kustomize base with production-oslo and
// staging-frankfurt overlays), Fjord's controller, API server with the web UI and webhooks, the Sealed
// Secrets controller, and the example Applications synced. It prints the UI's URL and an admin token
// and what to try (drift a Deployment and watch it heal, push a new image tag), and stops everything
// it started on Ctrl-C.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FJORD } from '../api/flavor.js';
import { DEFAULT_CONFIG } from '../controller/config.js';
import { ControllerManager } from '../controller/manager.js';
import type { ApplicationStatus } from '../controller/app-status.js';
import { clusterDown, clusterUp, type Log } from '../dev/cluster/cluster.js';
import { GitHttpServer } from '../dev/git/http-server.js';
import { waitFor } from '../dev/net.js';
import { binaryPath, packageRoot } from '../dev/paths.js';
import { createBareRepo, git } from '../dev/git/repos.js';
import { install } from '../install/install.js';
import { KubeClient, type KubeObject } from '../kube/client.js';
import { createLogger, type Logger } from '../util/log.js';
import { ApiServer } from '../server/api/server.js';
import { FjordHttpServer } from '../server/http.js';
import { Metrics } from '../server/metrics.js';
import { builtUiDir, uiRoute } from '../server/ui-static.js';
import { createToken } from '../server/auth/tokens.js';
import { SealedSecretsController } from '../secrets/sealed/controller.js';
import { sealedSecretsRoutes } from '../secrets/sealed/http-routes.js';

export interface DemoOptions {
  readonly clusterName: string;
  readonly log: Log;
  /** Where the summary for the person goes (stdout). */
  readonly print: (line: string) => void;
  /** The demo runs until this is aborted (Ctrl-C), then stops everything it started. */
  readonly signal: AbortSignal;
  /** Port of the UI and API on 127.0.0.1 (another free port when it is taken). */
  readonly port?: number;
}

interface Serving { readonly http: FjordHttpServer; readonly api: ApiServer; readonly sealed: SealedSecretsController; readonly token: string }

/** The API with the web UI, webhooks and the Sealed Secrets paths on one loopback port, and an admin token. */
async function serve(kube: KubeClient, manager: ControllerManager, log: Logger, port: number): Promise<Serving> {
  const metrics = new Metrics();
  manager.observeWith(metrics.controllerObservers());
  metrics.watchQueue(() => manager.queueDepth());
  const api = await ApiServer.start({ kube, flavor: FJORD, log, metrics, controller: () => manager.deps, pushTarget: manager });
  const sealed = await SealedSecretsController.start({ kube, namespace: FJORD.namespace, log });
  const ui = builtUiDir();
  const routes = [sealedSecretsRoutes(sealed), api.webhookRoute, api.apiRoute, api.metricsRoute, ...(ui ? [uiRoute(ui)] : [])];
  const start = (p: number): Promise<FjordHttpServer> => FjordHttpServer.start({ host: '127.0.0.1', port: p, routes });
  const http = await start(port).catch(() => start(0));
  const token = await createToken(kube, FJORD.namespace, FJORD.secretTypeLabel, 'demo-admin', ['role:admin']);
  return { http, api, sealed, token };
}

export const DEMO_REPO = 'fjord/config.git';

async function pushExampleRepo(root: string): Promise<void> {
  const bare = await createBareRepo(root, DEMO_REPO);
  const work = mkdtempSync(join(tmpdir(), 'fjord-demo-src-'));
  try {
    cpSync(join(packageRoot(), 'examples', 'config-repo'), work, { recursive: true });
    await git(['init', '--quiet', '--initial-branch=main'], work);
    await git(['add', '--all'], work);
    await git(['commit', '--quiet', '-m', 'payment-service: base and overlays for production-oslo and staging-frankfurt'], work);
    await git(['push', '--quiet', bare, 'main'], work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function exampleApplications(repoURL: string): KubeObject[] {
  const dir = join(packageRoot(), 'examples', 'applications');
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => parse(readFileSync(join(dir, f), 'utf8').replaceAll('REPO_URL', repoURL)) as KubeObject);
}

async function createApplications(kube: KubeClient, apps: readonly KubeObject[]): Promise<void> {
  const base = `/apis/${FJORD.group}/${FJORD.version}/namespaces/${FJORD.namespace}/applications`;
  for (const app of apps) {
    const name = app.metadata?.name ?? '';
    await kube.apply(`${base}/${name}`, app, { fieldManager: 'fjord-demo', force: true });
  }
}

async function waitSynced(kube: KubeClient, names: readonly string[]): Promise<void> {
  const base = `/apis/${FJORD.group}/${FJORD.version}/namespaces/${FJORD.namespace}/applications`;
  await waitFor('example Applications Synced and Healthy', async () => {
    for (const n of names) {
      const s = (await kube.get(`${base}/${n}`))['status'] as ApplicationStatus | undefined;
      if (s?.sync.status !== 'Synced' || s.health.status !== 'Healthy') return undefined;
    }
    return true;
  }, { timeoutMs: 120_000, intervalMs: 500 });
}

function printGuide(print: (l: string) => void, cluster: { server: string; kubeconfig: string }, serving: Serving, about: { url: string; names: readonly string[]; logFile: string }): void {
  const { url, names, logFile } = about;
  const kubectl = binaryPath('kubectl');
  print(`Web UI:          ${serving.http.url}/${builtUiDir() ? '' : '   (not built: run npm run bootstrap)'}`);
  print(`API token:       ${serving.token}`);
  print(`Kubernetes API:  ${cluster.server}`);
  print(`kubeconfig:      ${cluster.kubeconfig}`);
  print(`Git repository:  ${url}`);
  print(`Applications:    ${names.join(', ')} (namespace fjord), Synced and Healthy`);
  print(`Controller log:  ${logFile}`);
  print('');
  print('Try:');
  print(`  export KUBECONFIG=${cluster.kubeconfig}`);
  print(`  ${kubectl} get applications -n fjord`);
  print(`  ${kubectl} scale deployment payment-service -n payments --replicas=1   # drift: Fjord puts 3 back within a second`);
  print(`  git clone ${url} config && cd config                                   # then change newTag in`);
  print('    apps/overlays/production-oslo/kustomization.yaml, commit and git push: applied within seconds');
  print(`  npx fjord app list --server ${serving.http.url} --auth-token <the token above>`);
  print(`  kubeseal --cert ${serving.http.url}/v1/cert.pem -o yaml < my-secret.yaml        # seal a Secret for Git`);
  print('demo ready; press Ctrl-C to stop it and remove everything it started');
}

export async function runDemo(opts: DemoOptions): Promise<void> {
  const repos = mkdtempSync(join(tmpdir(), 'fjord-demo-git-'));
  let server: GitHttpServer | undefined;
  let manager: ControllerManager | undefined;
  let kube: KubeClient | undefined;
  let serving: Serving | undefined;
  try {
    const cluster = await clusterUp({ name: opts.clusterName, log: opts.log });
    await pushExampleRepo(repos);
    server = await GitHttpServer.start({ root: repos });
    const url = server.url(DEMO_REPO);
    kube = KubeClient.fromKubeconfig(cluster.kubeconfig);
    opts.log('installing Fjord into the cluster');
    await install(kube, FJORD);
    const logDir = join(cluster.dir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, 'fjord-controller.log');
    writeFileSync(logFile, '');
    const log = createLogger({ format: 'text', write: (l) => { writeFileSync(logFile, `${l}\n`, { flag: 'a' }); } });
    manager = await ControllerManager.start({ kube, flavor: FJORD, config: { ...DEFAULT_CONFIG, pollIntervalMs: 2000 }, cacheDir: join(repos, '.cache'), log });
    serving = await serve(kube, manager, log, opts.port ?? 8080);
    const apps = exampleApplications(url);
    await createApplications(kube, apps);
    const names = apps.map((a) => a.metadata?.name ?? '');
    opts.log(`waiting for ${names.join(', ')} to sync`);
    await waitSynced(kube, names);
    printGuide(opts.print, cluster, serving, { url, names, logFile });
    if (!opts.signal.aborted) {
      await new Promise<void>((resolve) => { opts.signal.addEventListener('abort', () => { resolve(); }, { once: true }); });
    }
  } finally {
    opts.log('stopping the demo');
    await serving?.http.stop();
    await serving?.api.stop();
    await serving?.sealed.stop();
    await manager?.stop();
    await kube?.close();
    await server?.stop();
    rmSync(repos, { recursive: true, force: true });
    await clusterDown(opts.clusterName, opts.log);
  }
}
