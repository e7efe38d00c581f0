// Measures the local control plane: time from `up` to ready (binaries already built), and the
// memory (RSS) of each process idle and after a workload of Deployments. Prints a table.
//   node --import tsx bench/dev-cluster.ts [--deployments N]
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterDown, clusterUp } from '../src/dev/cluster/cluster.js';
import { KubeClient } from '../src/kube/client.js';
import { waitFor } from '../src/dev/net.js';

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function table(pids: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [name, pid] of Object.entries(pids)) {
    out[name] = Math.round(rssMiB(pid));
    total += out[name];
  }
  out['total'] = total;
  return out;
}

async function main(): Promise<void> {
  const n = Number(process.argv[process.argv.indexOf('--deployments') + 1] ?? 100) || 100;
  const name = `bench-${process.pid}`;
  try {
    const t0 = performance.now();
    const state = await clusterUp({ name });
    const upSeconds = (performance.now() - t0) / 1000;
    await sleep(10_000);
    const idle = table(state.pids);
    const kube = KubeClient.fromKubeconfig(state.kubeconfig);
    const t1 = performance.now();
    await kube.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    for (let i = 0; i < n; i++) {
      await kube.create('/apis/apps/v1/namespaces/bench/deployments', {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}` },
        spec: { replicas: 2, selector: { matchLabels: { app: `d${i}` } }, template: { metadata: { labels: { app: `d${i}` } }, spec: { containers: [{ name: 'c', image: 'example/app:1' }] } } },
      });
    }
    await waitFor(`${n * 2} ready pods`, async () => {
      const pods = await kube.get<{ items: { status?: { phase?: string } }[] }>('/api/v1/namespaces/bench/pods');
      return pods.items.filter((p) => p.status?.phase === 'Running').length === n * 2 ? true : undefined;
    }, { timeoutMs: 600_000, intervalMs: 1000 });
    const workloadSeconds = (performance.now() - t1) / 1000;
    const loaded = table(state.pids);
    await kube.close();
    process.stdout.write(`warm start (up to ready, 2 nodes): ${upSeconds.toFixed(1)} s\n`);
    process.stdout.write(`${n} Deployments x 2 replicas to all Pods Running: ${workloadSeconds.toFixed(1)} s\n`);
    process.stdout.write('RSS MiB            idle   with workload\n');
    for (const k of Object.keys(idle)) process.stdout.write(`${k.padEnd(24)} ${String(idle[k]).padStart(5)}   ${String(loaded[k]).padStart(5)}\n`);
  } finally {
    await clusterDown(name);
  }
}

await main();
