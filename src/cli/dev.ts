// `fjord dev …`: local infrastructure for development, tests and the demo.
import { Command } from 'commander';
import { clusterDown, clusterUp, isHealthy } from '../dev/cluster/cluster.js';
import { readState } from '../dev/cluster/state.js';

const stderr = (m: string): void => { process.stderr.write(`fjord: ${m}\n`); };

export function devCommand(): Command {
  const dev = new Command('dev').description('local infrastructure for development, tests and the demo');
  const cluster = dev.command('cluster').description('a real local Kubernetes control plane with KWOK fake nodes, on 127.0.0.1');
  cluster.command('up')
    .description('build (first time) and start a cluster; prints the kubeconfig path as its last line')
    .option('--name <name>', 'cluster name (several can run side by side)', 'fjord')
    .action(async (o: { name: string }) => {
      const state = await clusterUp({ name: o.name, log: stderr });
      process.stdout.write(`${state.kubeconfig}\n`);
    });
  cluster.command('down')
    .description('stop every process of the cluster and remove its state')
    .option('--name <name>', 'cluster name', 'fjord')
    .action(async (o: { name: string }) => {
      const existed = await clusterDown(o.name, stderr);
      stderr(existed ? `cluster ${o.name} stopped and removed` : `no cluster named ${o.name}; nothing to do`);
    });
  cluster.command('status')
    .description('say whether the cluster runs; exit code 1 when it does not')
    .option('--name <name>', 'cluster name', 'fjord')
    .action(async (o: { name: string }) => {
      const state = readState(o.name);
      const healthy = state ? await isHealthy(state) : false;
      process.stdout.write(state && healthy ? `running ${state.server} ${state.kubeconfig}\n` : `not running\n`);
      if (!healthy) process.exitCode = 1;
    });
  return dev;
}
