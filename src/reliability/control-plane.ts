// Faults of a dev cluster's control plane for the fault suite: restart its kube-apiserver (same binary,
// same arguments, same port; the new pid goes into state.json so `cluster down` still stops it) and
// pause etcd with SIGSTOP/SIGCONT. Only processes of this cluster are touched (by pid from its state).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning, startDaemon, stopDaemon } from '../dev/daemon.js';
import { readState, writeState, type ClusterState } from '../dev/cluster/state.js';
import { KubeClient } from '../kube/client.js';
import { waitFor } from '../dev/net.js';

function state(name: string): ClusterState {
  const s = readState(name);
  if (!s) throw new Error(`cluster ${name}: no state.json`);
  return s;
}

function pidOf(s: ClusterState, component: string): number {
  const pid = s.pids[component];
  if (pid === undefined || !isRunning(pid, s.dir)) throw new Error(`cluster ${s.name}: ${component} is not running`);
  return pid;
}

/** Stops the kube-apiserver, waits `downMs`, starts it again as it was, and waits for /readyz. */
export async function restartApiserver(name: string, downMs: number): Promise<void> {
  const s = state(name);
  const pid = pidOf(s, 'kube-apiserver');
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  await stopDaemon(pid, s.dir);
  await new Promise((r) => setTimeout(r, downMs));
  const [command, ...args] = argv;
  const next = startDaemon({ name: 'kube-apiserver', command: command ?? '', args, logFile: join(s.dir, 'logs', 'kube-apiserver.log') });
  writeState({ ...s, pids: { ...s.pids, 'kube-apiserver': next } });
  const kube = KubeClient.fromKubeconfig(s.kubeconfig);
  try {
    await waitFor('kube-apiserver /readyz after the restart', async () => { await kube.get('/readyz', { timeoutMs: 3000 }); return true; }, { timeoutMs: 90_000, intervalMs: 250 });
  } finally {
    await kube.close();
  }
}

/** Freezes etcd for `ms` (SIGSTOP), then lets it go on (SIGCONT); SIGCONT also when something fails. */
export async function pauseEtcd(name: string, ms: number): Promise<void> {
  const s = state(name);
  const pid = pidOf(s, 'etcd');
  process.kill(pid, 'SIGSTOP');
  try {
    await new Promise((r) => setTimeout(r, ms));
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}
