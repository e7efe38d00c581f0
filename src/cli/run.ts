// `fjord run`: the all-in-one process: the controller, the API server with the web UI and webhooks,
// and the Sealed Secrets controller; `--roles` picks a subset.
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
import { FIELD_MANAGER as SEALED_FIELD_MANAGER, SealedSecretsController } from '../secrets/sealed/controller.js';
import { sealedSecretsRoutes } from '../secrets/sealed/http-routes.js';
import { publishControllerService } from '../secrets/sealed/service.js';
import { FjordHttpServer, type Route } from '../server/http.js';
import { ApiServer } from '../server/api/server.js';
import { Metrics } from '../server/metrics.js';
import { builtUiDir, uiRoute } from '../server/ui-static.js';
import { hostname } from 'node:os';
import { profileOnSignal } from '../util/cpu-profile.js';

interface RunOptions extends KubeOptions {
  compat?: string;
  namespace?: string;
  cacheDir?: string;
  logFormat?: 'json' | 'text';
  pollInterval?: string;
  reconciliation?: string;
  statusHeartbeat?: string;
  allowFileRepos?: boolean;
  roles: string;
  port: string;
  address: string;
  keyRenewPeriod: string;
  uiDir?: string;
  cpuProfileDir?: string;
  sealedSecretsNamespace?: string;
  replicaId?: string;
  leaseDuration: string;
}

export const ROLES = ['controller', 'server', 'sealed-secrets'] as const;
type Role = (typeof ROLES)[number];

function parseRoles(value: string): Set<Role> {
  const roles = value.split(',').map((r) => r.trim()).filter((r) => r !== '');
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw new Error(`--roles: unknown role ${unknown.join(', ')} (known: ${ROLES.join(', ')})`);
  return new Set(roles as Role[]);
}

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The flavor to serve, with `--namespace` (when given) in place of the flavor's own namespace. */
function runFlavor(o: RunOptions): ApiFlavor {
  const flavor = flavorFor(o.compat);
  if (o.namespace === undefined) return flavor;
  if (!NAMESPACE_NAME.test(o.namespace)) throw new Error(`--namespace ${o.namespace}: not a valid namespace name (lower-case letters, digits and '-', at most 63)`);
  return { ...flavor, namespace: o.namespace };
}

function durationFlag(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = parseDuration(v);
  if (ms === undefined) throw new Error(`--${name} ${v}: not a duration (e.g. 3s, 180s, 3m)`);
  return ms;
}

/** Settings from the flavor's ConfigMap in the namespace Fjord serves, then flags on top. Bad values are warned about by key and ignored. */
async function loadConfig(kube: KubeClient, flavor: ApiFlavor, o: RunOptions, log: Logger): Promise<ControllerConfig> {
  const where = `${flavor.namespace}/${flavor.configMapName}`;
  const cm = await kube.getOrUndefined<{ data?: Record<string, string> }>(`/api/v1/namespaces/${flavor.namespace}/configmaps/${flavor.configMapName}`);
  const { config, problems } = configFromData(cm?.data, DEFAULT_CONFIG);
  for (const p of problems) log.warn(`ConfigMap ${where}: ${p}; using the default`);
  const merged = {
    ...config,
    pollIntervalMs: durationFlag(o.pollInterval, 'poll-interval') ?? config.pollIntervalMs,
    reconciliationMs: durationFlag(o.reconciliation, 'reconciliation') ?? config.reconciliationMs,
    statusHeartbeatMs: durationFlag(o.statusHeartbeat, 'status-heartbeat') ?? config.statusHeartbeatMs,
  };
  log.info('settings', { configMap: cm ? where : `${where} (absent: defaults)`, ...merged });
  return merged;
}

/** Sharding among controller replicas: this one's ID (--replica-id, else POD_NAME, else host-pid) and the lease duration. */
function shardSettings(o: RunOptions): { replicaId: string; leaseDurationMs: number } {
  const leaseDurationMs = durationFlag(o.leaseDuration, 'lease-duration') ?? 15_000;
  if (leaseDurationMs < 1000) throw new Error(`--lease-duration ${o.leaseDuration}: must be at least 1s`);
  return { replicaId: o.replicaId ?? process.env['POD_NAME'] ?? `${hostname()}-${process.pid}`, leaseDurationMs };
}

/** Resolves on the first SIGINT or SIGTERM; listening starts at once, so a signal during start-up is not lost. */
function stopRequested(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function serverRoutes(api: ApiServer | undefined, uiFlag: string | undefined): Route[] {
  if (!api) return [];
  const ui = builtUiDir(uiFlag);
  return [api.webhookRoute, api.apiRoute, api.metricsRoute, ...(ui ? [uiRoute(ui)] : [])];
}

async function run(o: RunOptions): Promise<void> {
  const stop = stopRequested();
  const flavor = runFlavor(o);
  const log = createLogger({ format: o.logFormat ?? 'json' });
  const kube = kubeClient(o);
  const stopProfiling = o.cpuProfileDir ? profileOnSignal(o.cpuProfileDir, (m, f) => { log.info(m, f); }) : undefined;
  try {
    if (!await crdsInstalled(kube, flavor)) {
      log.info('CRDs not found: installing them', { group: flavor.group, namespace: flavor.namespace });
      await install(kube, flavor);
    }
    const roles = parseRoles(o.roles);
    const metrics = new Metrics();
    const config = await loadConfig(kube, flavor, o, log);
    const manager = roles.has('controller')
      ? await ControllerManager.start({
        kube, flavor, config, cacheDir: o.cacheDir ?? join(homedir(), '.cache', 'fjord'), log, allowFileRepos: o.allowFileRepos ?? false,
        observe: metrics.controllerObservers(), shard: shardSettings(o),
      })
      : undefined;
    if (manager) metrics.watchQueue(() => manager.queueDepth());
    const api = roles.has('server') ? await ApiServer.start({ kube, flavor, log: log.child({ role: 'server' }), metrics, controller: () => manager?.deps, ...(manager ? { pushTarget: manager } : {}) }) : undefined;
    const keyRenewPeriodMs = durationFlag(o.keyRenewPeriod, 'key-renew-period');
    const sealed = roles.has('sealed-secrets') ? await SealedSecretsController.start({ kube, namespace: flavor.namespace, log: log.child({ role: 'sealed-secrets' }), ...(keyRenewPeriodMs !== undefined ? { keyRenewPeriodMs } : {}), ...(o.sealedSecretsNamespace ? { watchNamespace: o.sealedSecretsNamespace } : {}) }) : undefined;
    const port = Number.parseInt(o.port, 10);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${o.port}: not a port number`);
    const http = await FjordHttpServer.start({ host: o.address, port, routes: [...(sealed ? [sealedSecretsRoutes(sealed)] : []), ...serverRoutes(api, o.uiDir)], onError: (e) => { log.error('HTTP request failed', { error: (e as Error).message }); } });
    const podIp = process.env['POD_IP'];
    if (sealed && podIp) await publishControllerService({ kube, namespace: flavor.namespace, podIp, port: Number(new URL(http.url).port), fieldManager: SEALED_FIELD_MANAGER });
    log.info('running', { roles: [...roles].join(','), http: http.url });
    const signal = await stop;
    log.info('stopping', { signal });
    await http.stop();
    await api?.stop();
    await sealed?.stop();
    await manager?.stop();
    log.info('stopped');
  } finally {
    stopProfiling?.();
    await kube.close();
  }
}

export function runCommand(): Command {
  return new Command('run')
    .description('run Fjord: the GitOps controller, the API server with web UI and webhooks, and the Sealed Secrets controller')
    .option('--kubeconfig <path>', 'kubeconfig file (default $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--compat <flavor>', 'serve Argo CD\'s API (argoproj.io Applications in namespace argocd): "argocd"')
    .option('--namespace <name>', 'namespace of the Applications, AppProjects, repository Secrets and settings ConfigMap (default: fjord, or argocd with --compat argocd)')
    .option('--cache-dir <path>', 'where repository clones are cached', join(homedir(), '.cache', 'fjord'))
    .option('--poll-interval <duration>', 'how often each repository is asked for new commits (ls-remote)')
    .option('--reconciliation <duration>', 'full re-render and compare period (timeout.reconciliation)')
    .option('--status-heartbeat <duration>', 'longest time status.reconciledAt goes unwritten while nothing else changed (fjord.status.heartbeat, default 10m)')
    .option('--log-format <format>', 'json or text', 'json')
    .option('--allow-file-repos', 'allow file:// repository URLs (tests and demos only)')
    .option('--port <port>', 'HTTP port for health and /v1/cert.pem (0 = any free port)', '8080')
    .option('--address <ip>', 'address the HTTP port listens on', '127.0.0.1')
    .option('--key-renew-period <duration>', 'sealed-secrets: a new sealing key when the newest is older than this (e.g. 720h; 0 disables)', '720h')
    .option('--sealed-secrets-namespace <name>', 'sealed-secrets: unseal only SealedSecrets of this namespace (default: all namespaces)')
    .option('--ui-dir <path>', 'folder of the built web UI (default: ui/dist of this package)')
    .option('--replica-id <id>', 'this controller replica\'s identity among the replicas sharing the Applications (default: $POD_NAME, else host name and process ID)')
    .option('--lease-duration <duration>', 'how long a controller replica keeps its Applications after its last lease renewal (it renews every third of that)', '15s')
    .option('--cpu-profile-dir <path>', 'on SIGUSR2 start a CPU profile; on the next SIGUSR2 write it to this folder as a .cpuprofile')
    .option('--roles <list>', `roles to run, comma-separated: ${ROLES.join(', ')}`, ROLES.join(','))
    .action(run);
}
