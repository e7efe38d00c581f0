// A config repository on the real Git server plus a controller in its own namespace: the starting
// point of most end-to-end tests of the engine.
import type { TestContext } from 'node:test';
import { WorkingCopy } from '../dev/git/repos.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { ApplicationStatus } from '../controller/app-status.js';
import { testKube, testNamespace } from './cluster.js';
import { startController, uniqueName, type TestController } from './controller.js';
import { startGitRepo, type GitFixture } from './git.js';
import { eventually } from './wait.js';
import type { ControllerConfig } from '../controller/config.js';

export interface AppFixture {
  readonly kube: KubeClient;
  readonly git: GitFixture;
  readonly repo: WorkingCopy;
  readonly repoURL: string;
  readonly ctrl: TestController;
  /** A fresh destination namespace. */
  readonly dest: string;
  /** Commits files to main and pushes; returns the commit SHA. */
  push(files: Record<string, string>, message: string, remove?: string[]): Promise<string>;
  status(app: string): Promise<ApplicationStatus | undefined>;
  waitFor(app: string, what: string, ok: (s: ApplicationStatus) => boolean, timeoutMs?: number): Promise<ApplicationStatus>;
  appName(prefix: string): string;
  /** The Application spec pointing at `path` of the fixture repository. */
  spec(path: string, extra?: Record<string, unknown>): Record<string, unknown>;
  live(path: string): Promise<KubeObject | undefined>;
}

export async function startAppFixture(t: TestContext, config: Partial<ControllerConfig> = {}): Promise<AppFixture> {
  const kube = testKube(t);
  const ctrlNs = await testNamespace(t, kube, 'ctrl');
  const dest = await testNamespace(t, kube, 'dest');
  const { git, repoURL, repo } = await startGitRepo(t, 'org/config.git');
  await repo.write({ 'README.md': 'config\n' }).commit('initial');
  await repo.push();
  const ctrl = await startController(t, kube, ctrlNs, config);
  const status = async (app: string): Promise<ApplicationStatus | undefined> => (await ctrl.getApp(app))['status'] as ApplicationStatus | undefined;
  return {
    kube, git, repo, repoURL, ctrl, dest,
    push: async (files, message, remove = []) => {
      repo.write(files);
      for (const f of remove) await import('node:fs').then((fs) => { fs.rmSync(`${repo.dir}/${f}`, { recursive: true, force: true }); });
      const sha = await repo.commit(message);
      await repo.push();
      return sha;
    },
    status,
    waitFor: (app, what, ok, timeoutMs = 60_000) => eventually(what, async () => { const s = await status(app); return s && ok(s) ? s : undefined; }, timeoutMs),
    appName: uniqueName,
    spec: (path, extra = {}) => ({
      project: 'default',
      source: { repoURL, targetRevision: 'main', path },
      destination: { server: 'https://kubernetes.default.svc', namespace: dest },
      ...extra,
    }),
    live: (path) => kube.getOrUndefined(path),
  };
}

export { configMap, deploymentYaml } from './manifests.js';
