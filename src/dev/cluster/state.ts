// What a running dev cluster leaves on disk: state.json in its folder, rewritten as each process
// starts, so that `down` (or the next `up`) can stop exactly what was started even after a crash.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateRoot } from '../paths.js';

export interface ClusterPorts {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
  readonly controllerManager: number;
  readonly scheduler: number;
  readonly kwok: number;
}

export interface ClusterState {
  readonly name: string;
  readonly dir: string;
  readonly ports: ClusterPorts;
  readonly kubeconfig: string;
  readonly server: string;
  /** Component name → pid, in start order. */
  readonly pids: Record<string, number>;
  readonly startedAt: string;
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

export function validateClusterName(name: string): string {
  if (!NAME.test(name)) throw new Error(`cluster name "${name}" is invalid: use 1-40 lower-case letters, digits and dashes`);
  return name;
}

export function clusterDir(name: string): string {
  return join(stateRoot(), 'clusters', validateClusterName(name));
}

export function readState(name: string): ClusterState | undefined {
  const file = join(clusterDir(name), 'state.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

export function writeState(state: ClusterState): void {
  mkdirSync(state.dir, { recursive: true });
  const file = join(state.dir, 'state.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${file}.tmp`, file);
}

export function removeClusterDir(name: string): void {
  rmSync(clusterDir(name), { recursive: true, force: true });
}
