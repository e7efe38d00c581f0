// `fjord run`: the all-in-one process. Today it runs the controller role; the API, UI, webhooks and
// the Sealed Secrets controller join it as they are built.
import { Command } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { flavorFor, type ApiFlavor } from '../api/flavor.js';
import { ControllerManager } from '../controller/manager.js';
import { configFromData, DEFAULT_CONFIG, parseDuration, type ControllerConfig } from '../controller/config.js';
import { crdsInstalled, install } from '../install/install.js';
import type { KubeClient } from '../kube/client.js';
import { createLogger, type Logger } from '../util/log.js';
import { kubeClient, type KubeOptions } from './kube-options.js';

interface RunOptions extends KubeOptions {
  compat?: string;
  cacheDir?: string;
  logFormat?: 'json' | 'text';
  pollInterval?: string;
  reconciliation?: string;
  allowFileRepos?: boolean;
}

async function loadConfig(kube: KubeClient, flavor: ApiFlavor, o: RunOptions, log: Logger): Promise<ControllerConfig> {
  const cm = await kube.getOrUndefined<{ data?: Record<string, string> }>(`/api/v1/namespaces/${flavor.namespace}/configmaps/${flavor.configMapName}`);
  const { config, problems } = configFromData(cm?.data, DEFAULT_CONFIG);
  for (const p of problems) log.warn(`ConfigMap ${flavor.namespace}/${flavor.configMapName}: ${p}`);
  const flag = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const ms = parseDuration(v);
    if (ms === undefined) throw new Error(`--${name} ${v}: not a duration (e.g. 3s, 180s, 3m)`);
    return ms;
  };
  return {
    ...config,
    pollIntervalMs: flag(o.pollInterval, 'poll-interval') ?? config.pollIntervalMs,
    reconciliationMs: flag(o.reconciliation, 'reconciliation') ?? config.reconciliationMs,
  };
}

export function runCommand(): Command {
  return new Command('run')
    .description('run Fjord: the GitOps controller (API, UI, webhooks and Sealed Secrets follow)')
    .option('--kubeconfig <path>', 'kubeconfig file (default $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--compat <flavor>', 'serve Argo CD\'s API (argoproj.io Applications in namespace argocd): "argocd"')
    .option('--cache-dir <path>', 'where repository clones are cached', join(homedir(), '.cache', 'fjord'))
    .option('--poll-interval <duration>', 'how often each repository is asked for new commits (ls-remote)')
    .option('--reconciliation <duration>', 'full re-render and compare period (timeout.reconciliation)')
    .option('--log-format <format>', 'json or text', 'json')
    .option('--allow-file-repos', 'allow file:// repository URLs (tests and demos only)')
    .action(async (o: RunOptions) => {
      const flavor = flavorFor(o.compat);
      const log = createLogger({ format: o.logFormat ?? 'json' });
      const kube = kubeClient(o);
      if (!await crdsInstalled(kube, flavor)) {
        log.info('CRDs not found: installing them', { group: flavor.group });
        await install(kube, flavor);
      }
      const config = await loadConfig(kube, flavor, o, log);
      const manager = await ControllerManager.start({ kube, flavor, config, cacheDir: o.cacheDir ?? join(homedir(), '.cache', 'fjord'), log, allowFileRepos: o.allowFileRepos ?? false });
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      log.info('stopping');
      await manager.stop();
      await kube.close();
    });
}
