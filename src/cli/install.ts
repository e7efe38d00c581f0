// `fjord install [--compat argocd] [--kubeconfig K] [--dry-run]`
import { Command } from 'commander';
import { flavorFor } from '../api/flavor.js';
import { install, renderInstallYaml } from '../install/install.js';
import { kubeClient, type KubeOptions } from './kube-options.js';

export function installCommand(): Command {
  return new Command('install')
    .description('install CRDs, the namespace, RBAC and the default project into a cluster')
    .option('--compat <flavor>', 'serve Argo CD\'s API group (argoproj.io) in namespace argocd: "argocd"')
    .option('--kubeconfig <path>', 'kubeconfig file (default $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--dry-run', 'print the manifests instead of applying them')
    .action(async (o: KubeOptions & { compat?: string; dryRun?: boolean }) => {
      const flavor = flavorFor(o.compat);
      if (o.dryRun) { process.stdout.write(renderInstallYaml(flavor)); return; }
      const kube = kubeClient(o);
      try {
        const applied = await install(kube, flavor);
        for (const a of applied) process.stdout.write(`${a} applied\n`);
        process.stdout.write(`fjord installed in namespace ${flavor.namespace} (${flavor.group})\n`);
      } finally {
        await kube.close();
      }
    });
}
