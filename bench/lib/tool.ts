// What the scenarios need from a GitOps tool under test (Fjord, Flux or Argo CD): its processes (for CPU and
// memory), how to create the N apps and the latency app, and whether they are applied at a revision.
import { execFileSync } from 'node:child_process';
import { waitFor } from '../../src/dev/net.js';
import type { KubeClient, KubeObject } from '../../src/kube/client.js';
import { createInformer, type Informer } from '../../src/kube/watch.js';

export interface ToolContext {
  readonly kube: KubeClient;
  readonly kubeconfig: string;
  readonly root: string;
  /** Where logs, caches and profiles go. */
  readonly workDir: string;
  /** Write a V8 CPU profile of the controller (--cpu-prof) into workDir; Fjord only. */
  readonly cpuProfile: boolean;
  /** Extra arguments for `fjord run` (e.g. "--lease-duration 10m"). */
  readonly fjordRunArgs?: readonly string[];
  /** How many `fjord run` replicas share the Applications (default 1); Fjord only. */
  readonly replicas?: number;
}

export interface ToolUnderTest {
  readonly name: 'Fjord' | 'Flux' | 'Argo CD';
  /** A sentence on the settings used (printed with the results). */
  readonly settings: string;
  /** How often the tool asks Git for new commits; polling samples push at a random moment within it. */
  readonly pollIntervalMs: number;
  pids(): number[];
  /** Creates the N apps of the configuration repository (all at once); resolves when created. */
  createApps(n: number, repoURL: string): Promise<void>;
  createLatencyApp(repoURL: string): Promise<void>;
  /** How many of the N apps are applied and healthy at `revision` (a commit SHA). */
  readyApps(revision: string): number;
  latencyAppReady(revision: string): boolean;
  /**
   * After a cold start that timed out: stops work on the apps not yet ready (Flux: suspends their
   * Kustomizations), so the steady state measures the tool, not its backlog. Returns how many.
   */
  suspendUnready?(revision: string): Promise<number>;
  /** Tells the tool that `repoURL` got a push, through its webhook; resolves with why that failed, or undefined. */
  webhook?(repoURL: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** An informer over a custom resource collection, started and synced. */
export async function startInformer(kube: KubeClient, path: string): Promise<Informer> {
  const inf = createInformer(kube, { path, pageSize: 1000 });
  inf.start();
  await inf.synced();
  return inf;
}

/** Creates objects with at most `parallel` requests in flight. */
export async function createAll(kube: KubeClient, collection: string, objects: readonly KubeObject[], parallel = 16): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const obj = objects[next++];
      if (obj) await kube.create(collection, obj);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/**
 * Applies a folder of CRDs and waits until they are established. `kubectl wait` fails at once, rather
 * than waiting, when a CRD has no conditions yet (right after its creation), so it is asked again.
 */
export async function installCrds(kubectl: string, kubeconfig: string, dir: string): Promise<void> {
  execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'apply', '--server-side', '-f', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitFor(`the CRDs of ${dir} established`, () => {
    execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'wait', '--for', 'condition=established', '--timeout=60s', '-f', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    return Promise.resolve(true);
  }, { timeoutMs: 60_000, intervalMs: 500 });
}

interface AppStatus { sync?: { status?: string; revision?: string }; health?: { status?: string } }

/** An Application (Fjord's or Argo CD's, same schema) Synced at `revision` and Healthy. */
export function applicationReady(app: KubeObject | undefined, revision: string): boolean {
  const s = app?.['status'] as AppStatus | undefined;
  return s?.sync?.status === 'Synced' && s.sync.revision === revision && s.health?.status === 'Healthy';
}

/** The Application each app gets from Fjord and from Argo CD: the app's path at main, automated sync with prune and self-heal. */
export function benchApplication(apiVersion: string, appNamespace: string, a: { name: string; repoURL: string; path: string; namespace: string }): KubeObject {
  return {
    apiVersion, kind: 'Application', metadata: { name: a.name, namespace: appNamespace },
    spec: {
      project: 'default',
      source: { repoURL: a.repoURL, targetRevision: 'main', path: a.path },
      destination: { server: 'https://kubernetes.default.svc', namespace: a.namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}
