// `fjord install [--compat argocd] [--kubeconfig K] [--dry-run]`
import { Command } from 'commander';
import { flavorFor } from '../api/flavor.js';
import { install, renderInstallYaml } from '../install/install.js';
import { kubeClient, type KubeOptions } from './kube-options.js';
import { createToken, TOKEN_SECRET_TYPE } from '../server/auth/tokens.js';
import type { KubeClient } from '../kube/client.js';
import type { ApiFlavor } from '../api/flavor.js';

/** Creates the `admin` API token on the first install and returns it; undefined when one exists. */
async function adminTokenOnce(kube: KubeClient, flavor: ApiFlavor): Promise<string | undefined> {
  const existing = await kube.get<{ items: unknown[] }>(`/api/v1/namespaces/${flavor.namespace}/secrets`, { query: { labelSelector: `${flavor.secretTypeLabel}=${TOKEN_SECRET_TYPE},fjord.dev/token-subject=admin` } });
  if (existing.items.length > 0) return undefined;
  return createToken(kube, flavor.namespace, flavor.secretTypeLabel, 'admin', ['role:admin']);
}

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
        const token = await adminTokenOnce(kube, flavor);
        if (token) process.stdout.write(`admin API token (shown once; only its hash is stored; more with \`fjord token create\`):\n${token}\n`);
      } finally {
        await kube.close();
      }
    });
}
