// `fjord demo`, the embedded default: a real local cluster, a local Git server holding the example
// config repository (the seeds' payment-service: a Kustomize base with production-oslo and
// staging-frankfurt overlays), Fjord's controller, and the example Applications synced. It prints
// what to try (drift a Deployment and watch it heal, push a new image tag) and stops everything it
// started on Ctrl-C. The API and web UI join it when they are built.
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
import { createLogger } from '../util/log.js';

export interface DemoOptions {
  readonly clusterName: string;
  readonly log: Log;
  /** Where the summary for the person goes (stdout). */
  readonly print: (line: string) => void;
  /** The demo runs until this is aborted (Ctrl-C), then stops everything it started. */
  readonly signal: AbortSignal;
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

function printGuide(print: (l: string) => void, cluster: { server: string; kubeconfig: string }, url: string, names: readonly string[], logFile: string): void {
  const kubectl = binaryPath('kubectl');
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
  print('Not yet in this demo: the web UI and the HTTP API (use kubectl and the controller log meanwhile).');
  print('demo ready; press Ctrl-C to stop it and remove everything it started');
}

export async function runDemo(opts: DemoOptions): Promise<void> {
  const repos = mkdtempSync(join(tmpdir(), 'fjord-demo-git-'));
  let server: GitHttpServer | undefined;
  let manager: ControllerManager | undefined;
  let kube: KubeClient | undefined;
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
    const apps = exampleApplications(url);
    await createApplications(kube, apps);
    const names = apps.map((a) => a.metadata?.name ?? '');
    opts.log(`waiting for ${names.join(', ')} to sync`);
    await waitSynced(kube, names);
    printGuide(opts.print, cluster, url, names, logFile);
    if (!opts.signal.aborted) {
      await new Promise<void>((resolve) => { opts.signal.addEventListener('abort', () => { resolve(); }, { once: true }); });
    }
  } finally {
    opts.log('stopping the demo');
    await manager?.stop();
    await kube?.close();
    await server?.stop();
    rmSync(repos, { recursive: true, force: true });
    await clusterDown(opts.clusterName, opts.log);
  }
}
