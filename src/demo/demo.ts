// `fjord demo`, the embedded default. For now it starts what the demo stands on: a real local
// cluster and a local Git server holding the example config repository (the seeds' payment-service,
// a Kustomize base with production-oslo and staging-frankfurt overlays). The GitOps controller and
// the UI join it as they are built; until then the demo says so plainly.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterDown, clusterUp, type Log } from '../dev/cluster/cluster.js';
import { GitHttpServer } from '../dev/git/http-server.js';
import { createBareRepo, git } from '../dev/git/repos.js';
import { packageRoot } from '../dev/paths.js';

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

export async function runDemo(opts: DemoOptions): Promise<void> {
  const repos = mkdtempSync(join(tmpdir(), 'fjord-demo-git-'));
  let server: GitHttpServer | undefined;
  try {
    const cluster = await clusterUp({ name: opts.clusterName, log: opts.log });
    await pushExampleRepo(repos);
    server = await GitHttpServer.start({ root: repos });
    const url = server.url(DEMO_REPO);
    opts.print(`Kubernetes API:  ${cluster.server}`);
    opts.print(`kubeconfig:      ${cluster.kubeconfig}`);
    opts.print(`Git repository:  ${url}  (try: git clone ${url})`);
    opts.print(`Application:     examples/applications/payment-service-oslo.yaml (repoURL: ${url})`);
    opts.print('Not yet in this demo: the GitOps controller, the API and the web UI are still being built,');
    opts.print('so nothing syncs the repository into the cluster yet. The cluster and the Git server are real.');
    opts.print('demo ready; press Ctrl-C to stop it and remove everything it started');
    if (!opts.signal.aborted) {
      await new Promise<void>((resolve) => { opts.signal.addEventListener('abort', () => { resolve(); }, { once: true }); });
    }
  } finally {
    opts.log('stopping the demo');
    await server?.stop();
    rmSync(repos, { recursive: true, force: true });
    await clusterDown(opts.clusterName, opts.log);
  }
}
