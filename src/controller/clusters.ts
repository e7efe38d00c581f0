// Destination clusters, declared as Argo CD does: Secrets in the controller namespace labelled
// `<secret-type label>: cluster`, with `name`, `server`, `config` (JSON credentials and TLS settings)
// and optional `namespaces` and `project`. Each registered cluster gets its own client, discovery and
// live cache, created on first use, cached by server URL, rebuilt when its Secret changes and closed
// on stop. `https://kubernetes.default.svc` and `in-cluster` are the controller's own cluster, also
// when Fjord runs outside it. Problems come back as values naming the cluster; credentials are never
// logged nor put in messages.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ApiFlavor } from '../api/flavor.js';
import { KubeClient, type KubeObject } from '../kube/client.js';
import { Discovery } from '../kube/discovery.js';
import type { ClusterAccess } from '../kube/kubeconfig.js';
import { createInformer, type Informer } from '../kube/watch.js';
import type { Logger } from '../util/log.js';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER, type ClusterView } from './app-context.js';
import type { DesiredSet } from './desired.js';
import { LiveCache } from './live-cache.js';
import type { HealthCheck } from '../health/health.js';

const tlsSchema = z.object({
  insecure: z.boolean().optional(),
  caData: z.string().optional(),
  certData: z.string().optional(),
  keyData: z.string().optional(),
  serverName: z.string().optional(),
}).loose();

const configSchema = z.object({
  bearerToken: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  tlsClientConfig: tlsSchema.optional(),
}).loose();

/** Parts of Argo CD's cluster config Fjord cannot honour yet: refused rather than silently ignored. */
const UNSUPPORTED = ['execProviderConfig', 'awsAuthConfig', 'proxyUrl'] as const;

/** A cluster as its Secret declares it. */
export interface ClusterSpec {
  readonly secret: string;
  readonly name: string;
  readonly server: string;
  readonly access: ClusterAccess;
  /** When not empty, the only namespaces Applications may deploy into on this cluster. */
  readonly namespaces: readonly string[];
  /** With `namespaces`, whether cluster-scoped resources may be managed too. */
  readonly clusterResources: boolean;
  readonly project?: string;
  /** Digest of the Secret's data: when it changes, the cluster's client is rebuilt. */
  readonly fingerprint: string;
}

/** A cluster Secret that could not be read: what it names, if anything, and why. */
export interface ClusterSecretError { readonly secret: string; readonly server?: string; readonly name?: string; readonly error: string }

/** A destination cluster ready for use: the steps that touch the destination use its view. */
export interface ClusterTarget extends ClusterView {
  readonly server: string;
  readonly name: string;
  readonly namespaces: readonly string[];
  readonly clusterResources: boolean;
}

/** Why a destination cannot be used; `registered` tells an unknown cluster from an unreachable one. */
export interface ClusterProblem { readonly error: string; readonly registered: boolean }

export interface Destination { readonly server?: string | undefined; readonly name?: string | undefined }

function field(secret: KubeObject, key: string): string | undefined {
  const raw = (secret['data'] as Record<string, string> | undefined)?.[key];
  return raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8');
}

const b64 = (s: string | undefined): string | undefined => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined);
const normalizeServer = (s: string): string => s.trim().replace(/\/+$/, '');

function accessFrom(server: string, config: z.infer<typeof configSchema>): ClusterAccess {
  const tls = config.tlsClientConfig ?? {};
  const caPem = b64(tls.caData);
  const clientCertPem = b64(tls.certData);
  const clientKeyPem = b64(tls.keyData);
  const { bearerToken: token, username, password } = config;
  return {
    server, insecureSkipTlsVerify: tls.insecure ?? false,
    ...(caPem ? { caPem } : {}), ...(clientCertPem ? { clientCertPem } : {}), ...(clientKeyPem ? { clientKeyPem } : {}),
    ...(token ? { token } : {}), ...(username && password ? { basicAuth: { username, password } } : {}),
  };
}

function parseConfig(text: string | undefined): z.infer<typeof configSchema> | string {
  let json: unknown;
  try { json = JSON.parse(text ?? '{}'); } catch { return 'config is not valid JSON'; }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) return `config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  const unsupported = [...UNSUPPORTED.filter((k) => k in parsed.data), ...(parsed.data.tlsClientConfig?.serverName ? ['tlsClientConfig.serverName'] : [])];
  return unsupported.length > 0 ? `config.${unsupported.join(', config.')} is not supported yet` : parsed.data;
}

/** Reads one cluster Secret; never throws, and no credential ends up in an error. */
export function parseClusterSecret(secret: KubeObject): ClusterSpec | ClusterSecretError {
  const ref = `${secret.metadata?.namespace ?? ''}/${secret.metadata?.name ?? ''}`;
  const rawServer = field(secret, 'server');
  const server = rawServer ? normalizeServer(rawServer) : undefined;
  const name = field(secret, 'name')?.trim() ?? '';
  const fail = (error: string): ClusterSecretError => ({ secret: ref, error: `cluster Secret ${ref}: ${error}`, ...(server ? { server } : {}), ...(name ? { name } : {}) });
  if (!server) return fail('has no server');
  if (!/^https?:\/\//.test(server)) return fail(`server ${server} is not an http(s) URL`);
  const config = parseConfig(field(secret, 'config'));
  if (typeof config === 'string') return fail(config);
  const namespaces = (field(secret, 'namespaces') ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  const project = field(secret, 'project')?.trim();
  const fingerprint = createHash('sha256').update(JSON.stringify(secret['data'] ?? {})).digest('hex');
  return {
    secret: ref, name, server, access: accessFrom(server, config), namespaces,
    clusterResources: field(secret, 'clusterResources') === 'true', ...(project ? { project } : {}), fingerprint,
  };
}

/** A cluster as Applications see it: `name (server)` or just the server. */
export function describeCluster(c: { server: string; name: string }): string {
  return c.name && c.name !== c.server ? `${c.server} (${c.name})` : c.server;
}

/**
 * Keeps only the objects a cluster restricted to `namespaces` may hold; the others become errors
 * naming the cluster (Argo CD's `namespaces` and `clusterResources` of a cluster Secret).
 */
export function restrictToCluster(cluster: ClusterTarget, desired: DesiredSet): DesiredSet {
  if (cluster.namespaces.length === 0) return desired;
  const errors = [...desired.errors];
  const objects = desired.objects.filter((d) => {
    const ns = d.object.metadata?.namespace;
    const ok = d.info.namespaced ? ns !== undefined && cluster.namespaces.includes(ns) : cluster.clusterResources;
    const what = `${d.object.kind ?? ''} ${ns ? `${ns}/` : ''}${d.object.metadata?.name ?? ''} (${d.file})`;
    if (!ok) errors.push(`${what}: ${d.info.namespaced ? `namespace ${ns ?? '(none)'} is` : 'cluster-scoped resources are'} not managed on cluster ${describeCluster(cluster)} (namespaces: ${cluster.namespaces.join(',')})`);
    return ok;
  });
  return { objects, errors };
}

/** A destination resolved to a cluster, before connecting: the controller's own when `spec` is absent. */
export interface ClusterRef { readonly server: string; readonly name: string; readonly spec?: ClusterSpec }

export interface ClusterRegistryOptions {
  /** The controller's own cluster, where the cluster Secrets live. */
  readonly kube: KubeClient;
  readonly flavor: ApiFlavor;
  /** The controller's own client, discovery and live cache, used for in-cluster destinations. */
  readonly local: ClusterView;
  readonly log: Logger;
  /** Wakes the Application (by name) owning an object that changed on a registered cluster. */
  readonly onOwnedChange: (appName: string, obj: KubeObject) => void;
  /** Called after a cluster Secret was added, changed or deleted. */
  readonly onChange?: () => void;
  /** User-defined health checks, for deciding which status changes matter. */
  readonly healthChecks?: ReadonlyMap<string, HealthCheck>;
}

interface Entry { readonly fingerprint: string; target?: Promise<ClusterTarget | ClusterProblem>; failedAt?: number }

/** A cluster that could not be reached is tried again after this long, not on every reconcile. */
const RETRY_CONNECT_MS = 5_000;

async function closeTarget(t: ClusterTarget): Promise<void> {
  await t.live.stop();
  await t.kube.close();
}

export class ClusterRegistry {
  private readonly secrets: Informer;
  private readonly entries = new Map<string, Entry>();
  private readonly local: ClusterTarget;

  constructor(private readonly opts: ClusterRegistryOptions) {
    this.local = { ...opts.local, server: IN_CLUSTER_SERVER, name: IN_CLUSTER_NAME, namespaces: [], clusterResources: true };
    this.secrets = createInformer(opts.kube, {
      path: `/api/v1/namespaces/${opts.flavor.namespace}/secrets`,
      labelSelector: `${opts.flavor.secretTypeLabel}=cluster`,
      onEvent: () => { this.retireStale(); opts.onChange?.(); },
    });
  }

  start(): void {
    this.secrets.start();
  }

  synced(): Promise<void> {
    return this.secrets.synced();
  }

  /** Which cluster a destination names, without connecting to it, or why there is none. */
  find(dest: Destination): ClusterRef | ClusterProblem {
    const server = dest.server ? normalizeServer(dest.server) : undefined;
    if (server ? server === IN_CLUSTER_SERVER : dest.name === IN_CLUSTER_NAME) return { server: IN_CLUSTER_SERVER, name: IN_CLUSTER_NAME };
    const what = server ? `cluster ${server}` : `cluster named ${dest.name ?? '(none)'}`;
    const matches = this.secrets.list().map(parseClusterSecret).filter((p) => (server ? p.server === server : dest.name !== undefined && p.name === dest.name));
    const [m, ...more] = matches;
    if (!m) return { registered: false, error: `${what} is not registered: add a cluster Secret labelled ${this.opts.flavor.secretTypeLabel}=cluster to namespace ${this.opts.flavor.namespace}` };
    if (more.length > 0) return { registered: true, error: `${what} is declared by ${matches.length} cluster Secrets (${matches.map((x) => x.secret).join(', ')}): keep one` };
    if ('error' in m) return { registered: true, error: `${what}: ${m.error}` };
    if (m.server === IN_CLUSTER_SERVER) return { server: IN_CLUSTER_SERVER, name: m.name || IN_CLUSTER_NAME };
    return { server: m.server, name: m.name, spec: m };
  }

  /** The cluster, ready for use: its client connected and its API discovered once, then cached by server URL. */
  connect(ref: ClusterRef): Promise<ClusterTarget | ClusterProblem> {
    const spec = ref.spec;
    if (!spec) return Promise.resolve(this.local);
    const cur = this.entries.get(spec.server);
    const retry = cur?.failedAt !== undefined && Date.now() - cur.failedAt > RETRY_CONNECT_MS;
    if (cur?.target && cur.fingerprint === spec.fingerprint && !retry) return cur.target;
    this.retire(spec.server);
    const entry: Entry = { fingerprint: spec.fingerprint };
    entry.target = this.build(spec, entry);
    this.entries.set(spec.server, entry);
    return entry.target;
  }

  /** find() then connect(). */
  async resolve(dest: Destination): Promise<ClusterTarget | ClusterProblem> {
    const ref = this.find(dest);
    return 'error' in ref ? ref : this.connect(ref);
  }

  async stop(): Promise<void> {
    await this.secrets.stop();
    const pending = [...this.entries.values()].flatMap((e) => (e.target ? [e.target] : []));
    this.entries.clear();
    const targets = await Promise.all(pending);
    await Promise.all(targets.flatMap((t) => ('error' in t ? [] : [closeTarget(t)])));
  }

  private async build(spec: ClusterSpec, entry: Entry): Promise<ClusterTarget | ClusterProblem> {
    const kube = new KubeClient(spec.access);
    const discovery = new Discovery(kube);
    try {
      await discovery.refresh();
    } catch (e) {
      entry.failedAt = Date.now();
      await kube.close();
      return { registered: true, error: `cluster ${describeCluster(spec)}: cannot connect: ${(e as Error).message}` };
    }
    const log = this.opts.log.child({ cluster: describeCluster(spec) });
    const live = new LiveCache({
      kube, trackingAnnotation: this.opts.flavor.trackingAnnotation,
      onOwnedChange: (app, obj) => { this.opts.onOwnedChange(app, obj); }, log: (m) => { log.debug(m); },
      ...(this.opts.healthChecks ? { healthChecks: this.opts.healthChecks } : {}),
    });
    log.info('connected to cluster');
    return { server: spec.server, name: spec.name, kube, discovery, live, namespaces: spec.namespaces, clusterResources: spec.clusterResources };
  }

  /** Closes the cached client of a cluster (its Secret changed or went away); the next use builds a new one. */
  private retire(server: string): void {
    const entry = this.entries.get(server);
    if (!entry) return;
    this.entries.delete(server);
    void entry.target?.then((t) => ('error' in t ? undefined : closeTarget(t)))
      .catch((e: unknown) => { this.opts.log.warn('closing a cluster client failed', { cluster: server, error: (e as Error).message }); });
  }

  private retireStale(): void {
    const current = new Map<string, string>();
    for (const p of this.secrets.list().map(parseClusterSecret)) if (!('error' in p)) current.set(p.server, p.fingerprint);
    for (const [server, entry] of this.entries) if (current.get(server) !== entry.fingerprint) this.retire(server);
  }
}
