// `fjord token create --subject NAME --role ROLE…`: a bearer token for the API, printed once as the
// last line (only its hash is stored); `fjord token list` shows who has tokens, never the tokens.
import { Command } from 'commander';
import { flavorFor } from '../api/flavor.js';
import { createToken, storedToken, TOKEN_SECRET_TYPE } from '../server/auth/tokens.js';
import { kubeClient, type KubeOptions } from './kube-options.js';
import type { KubeObject } from '../kube/client.js';

interface TokenOptions extends KubeOptions { compat?: string; namespace?: string }

function withKubeFlags(c: Command): Command {
  return c
    .option('--kubeconfig <path>', 'kubeconfig file (default $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--compat <flavor>', 'Fjord runs with --compat argocd (namespace argocd)')
    .option('--namespace <name>', 'Fjord\'s namespace (default fjord, or argocd with --compat argocd)');
}

export function tokenCommand(): Command {
  const cmd = new Command('token').description('API tokens (bearer tokens for the HTTP API, the UI and `fjord app`)');
  cmd.addCommand(withKubeFlags(new Command('create'))
    .description('create a token and print it (it is shown only once)')
    .requiredOption('--subject <name>', 'who or what the token is for, e.g. ci-bot')
    .option('--role <role...>', 'role:admin, role:readonly or proj:<project>:<role> (repeatable)', ['role:readonly'])
    .action(async (o: TokenOptions & { subject: string; role: string[] }) => {
      const flavor = flavorFor(o.compat);
      const kube = kubeClient(o);
      try {
        const token = await createToken(kube, o.namespace ?? flavor.namespace, flavor.secretTypeLabel, o.subject, o.role);
        process.stderr.write(`token for ${o.subject} (${o.role.join(', ')}); store it now, it cannot be shown again:\n`);
        process.stdout.write(`${token}\n`);
      } finally {
        await kube.close();
      }
    }));
  cmd.addCommand(withKubeFlags(new Command('list'))
    .description('list token subjects and roles (never the tokens)')
    .action(async (o: TokenOptions) => {
      const flavor = flavorFor(o.compat);
      const kube = kubeClient(o);
      try {
        const list = await kube.get<{ items: KubeObject[] }>(`/api/v1/namespaces/${o.namespace ?? flavor.namespace}/secrets`, { query: { labelSelector: `${flavor.secretTypeLabel}=${TOKEN_SECRET_TYPE}` } });
        process.stdout.write('ID        SUBJECT              ROLES\n');
        for (const t of list.items.map(storedToken)) {
          if (t) process.stdout.write(`${t.id.padEnd(9)} ${t.subject.padEnd(20)} ${t.roles.join(',')}\n`);
        }
      } finally {
        await kube.close();
      }
    }));
  return cmd;
}
