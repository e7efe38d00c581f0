// `fjord dev cluster up|down|status`: a real Kubernetes control plane on loopback (etcd,
// kube-apiserver, kube-controller-manager, kube-scheduler) with KWOK fake nodes, built from the Go
// module proxy. Idempotent; a crashed earlier run is cleaned up instead of blocking the next one.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KubeClient } from '../../kube/client.js';
import { isRunning, logTail, startDaemon, stopDaemon } from '../daemon.js';
import { freePorts, LOOPBACK, waitFor } from '../net.js';
import { binDir } from '../paths.js';
import { CONTROL_PLANE_BINARIES, ensureTools } from '../tools.js';
import * as args from './components.js';
import { writeClusterFiles } from './pki-files.js';
import { ensureNodes, nodesReady } from './nodes.js';
import { clusterDir, readState, removeClusterDir, validateClusterName, writeState, type ClusterPorts, type ClusterState } from './state.js';

export type Log = (message: string) => void;

export const DEFAULT_NODES = ['kwok-node-0', 'kwok-node-1'] as const;
const START_TIMEOUT_MS = 120_000;

export interface UpOptions {
  readonly name: string;
  readonly log?: Log;
  readonly nodes?: readonly string[];
}

/** True when every process of the cluster runs and the API server answers /readyz. */
export async function isHealthy(state: ClusterState): Promise<boolean> {
  if (!Object.values(state.pids).every((pid) => isRunning(pid, state.dir))) return false;
  if (Object.keys(state.pids).length < 5) return false;
  const kube = KubeClient.fromKubeconfig(state.kubeconfig);
  try {
    await kube.get('/readyz', { timeoutMs: 5000 });
    return true;
  } catch {
    return false;
  } finally {
    await kube.close();
  }
}

export async function clusterDown(name: string, log: Log = () => undefined): Promise<boolean> {
  const state = readState(validateClusterName(name));
  const existed = state !== undefined || existsSync(clusterDir(name));
  if (state) {
    for (const [component, pid] of Object.entries(state.pids).reverse()) {
      if (isRunning(pid, state.dir)) log(`stopping ${component} (pid ${pid})`);
      await stopDaemon(pid, state.dir);
    }
  }
  removeClusterDir(name);
  return existed;
}

function kwokStages(): string[] {
  const dir = join(binDir(), 'kwok-stages');
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));
}

class Starter {
  private pids: Record<string, number> = {};

  constructor(private readonly base: Omit<ClusterState, 'pids'>, private readonly log: Log) {}

  start(component: string, bin: string, argv: readonly string[]): void {
    const logFile = join(this.base.dir, 'logs', `${component}.log`);
    const pid = startDaemon({ name: component, command: bin, args: argv, logFile });
    this.pids = { ...this.pids, [component]: pid };
    writeState({ ...this.base, pids: this.pids });
    this.log(`started ${component} (pid ${pid})`);
  }

  /** A reason to stop waiting: a component that has died, with the end of its log. */
  crashed(): string | undefined {
    for (const [component, pid] of Object.entries(this.pids)) {
      if (!isRunning(pid, this.base.dir)) {
        return `${component} exited; end of ${join(this.base.dir, 'logs', `${component}.log`)}:\n${logTail(join(this.base.dir, 'logs', `${component}.log`))}`;
      }
    }
    return undefined;
  }
}

async function bootControlPlane(starter: Starter, bins: Record<string, string>, files: args.ComponentFiles, ports: ClusterPorts, kube: KubeClient): Promise<void> {
  const opts = { timeoutMs: START_TIMEOUT_MS, abortIf: () => starter.crashed() };
  starter.start('etcd', bins['etcd'] ?? '', args.etcdArgs(files, ports));
  await waitFor('etcd health', async () => {
    const res = await fetch(`http://${LOOPBACK}:${ports.etcdClient}/health`);
    return res.ok ? true : undefined;
  }, opts);
  starter.start('kube-apiserver', bins['kube-apiserver'] ?? '', args.apiserverArgs(files, ports));
  await waitFor('kube-apiserver /readyz', async () => { await kube.get('/readyz', { timeoutMs: 5000 }); return true; }, opts);
  starter.start('kube-controller-manager', bins['kube-controller-manager'] ?? '', args.controllerManagerArgs(files, ports));
  starter.start('kube-scheduler', bins['kube-scheduler'] ?? '', args.schedulerArgs(files, ports));
  starter.start('kwok', bins['kwok'] ?? '', args.kwokArgs(files, ports));
}

async function waitForWorkloadReadiness(starter: Starter, kube: KubeClient, nodes: readonly string[]): Promise<void> {
  const opts = { timeoutMs: START_TIMEOUT_MS, abortIf: () => starter.crashed() };
  await ensureNodes(kube, nodes);
  await waitFor(`nodes ${nodes.join(', ')} Ready`, async () => (await nodesReady(kube, nodes)) ? true : undefined, opts);
  await waitFor('service account default/default', async () => (await kube.getOrUndefined('/api/v1/namespaces/default/serviceaccounts/default')) ? true : undefined, opts);
}

/** Starts the cluster (or finds it running) and returns its state; the kubeconfig is `state.kubeconfig`. */
export async function clusterUp(opts: UpOptions): Promise<ClusterState> {
  const name = validateClusterName(opts.name);
  const log = opts.log ?? (() => undefined);
  const existing = readState(name);
  if (existing && await isHealthy(existing)) {
    log(`cluster ${name} is already running at ${existing.server}`);
    return existing;
  }
  if (existing || existsSync(clusterDir(name))) {
    log(`cluster ${name}: cleaning up a previous run that is no longer healthy`);
    await clusterDown(name, log);
  }
  const bins = await ensureTools(CONTROL_PLANE_BINARIES);
  const dir = clusterDir(name);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok] = await freePorts(6);
  const ports = { etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok } as ClusterPorts;
  const server = `https://${LOOPBACK}:${ports.apiserver}`;
  const files = await writeClusterFiles(dir, name, server, kwokStages());
  const base = { name, dir, ports, kubeconfig: files.kubeconfig, server, startedAt: new Date().toISOString() };
  const starter = new Starter(base, log);
  const kube = KubeClient.fromKubeconfig(files.kubeconfig);
  try {
    await bootControlPlane(starter, bins, files, ports, kube);
    await waitForWorkloadReadiness(starter, kube, opts.nodes ?? DEFAULT_NODES);
  } catch (e) {
    await clusterDown(name);
    throw new Error(`cluster ${name} failed to start`, { cause: e });
  } finally {
    await kube.close();
  }
  const state = readState(name);
  if (!state) throw new Error(`cluster ${name}: state file vanished while starting`);
  log(`cluster ${name} is ready at ${server}`);
  return state;
}
