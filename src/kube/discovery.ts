// API discovery: which resources the API server serves, their plural names, scope and verbs. One
// aggregated-discovery request each for /api and /apis (Kubernetes ≥ 1.26); servers that answer with
// the older APIVersions/APIGroupList get one request per group-version instead. Results are cached;
// a miss refreshes once, because a CRD may have been installed since the last look.
import { z } from 'zod';
import { KubeApiError, type KubeClient } from './client.js';
import { groupVersionPath, splitApiVersion, type GroupVersion } from './paths.js';

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** The plural name used in URL paths, e.g. `deployments`. */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

export interface DiscoveryOptions {
  /** Ask for aggregated discovery (default true); false always uses per-group-version requests. */
  readonly aggregated?: boolean;
  readonly log?: (msg: string) => void;
}

/** One API group with its versions, the preferred version first. */
interface GroupResources { readonly group: string; readonly versions: readonly VersionResources[] }
interface VersionResources { readonly version: string; readonly resources: readonly ResourceInfo[] }

interface Snapshot { readonly byKind: ReadonlyMap<string, ResourceInfo>; readonly preferred: readonly ResourceInfo[] }

const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

const aggregatedList = z.object({
  kind: z.literal('APIGroupDiscoveryList'),
  items: z.array(z.object({
    metadata: z.object({ name: z.string().default('') }).loose().default({ name: '' }),
    versions: z.array(z.object({
      version: z.string(),
      resources: z.array(z.object({
        resource: z.string(),
        responseKind: z.object({ kind: z.string() }).loose().optional(),
        scope: z.string(),
        verbs: z.array(z.string()).default([]),
      }).loose()).default([]),
    }).loose()).default([]),
  }).loose()),
}).loose();

const apiVersions = z.object({ versions: z.array(z.string()) }).loose();
const apiGroupList = z.object({
  groups: z.array(z.object({
    name: z.string(),
    versions: z.array(z.object({ version: z.string() }).loose()),
    preferredVersion: z.object({ version: z.string() }).loose().optional(),
  }).loose()),
}).loose();
const apiResourceList = z.object({
  resources: z.array(z.object({ name: z.string(), kind: z.string(), namespaced: z.boolean(), verbs: z.array(z.string()).default([]) }).loose()),
}).loose();

function info(gv: GroupVersion, kind: string, resource: string, namespaced: boolean, verbs: readonly string[]): ResourceInfo {
  return Object.freeze({ group: gv.group, version: gv.version, kind, resource, namespaced, verbs: Object.freeze([...verbs]) as string[] });
}

function fromAggregated(list: z.infer<typeof aggregatedList>): GroupResources[] {
  return list.items.map((g) => ({
    group: g.metadata.name,
    versions: g.versions.map((v) => ({
      version: v.version,
      resources: v.resources.flatMap((r) => {
        const kind = r.responseKind?.kind;
        if (!kind || r.resource.includes('/')) return [];
        return [info({ group: g.metadata.name, version: v.version }, kind, r.resource, r.scope === 'Namespaced', r.verbs)];
      }),
    })),
  }));
}

function kindKey(gv: GroupVersion, kind: string): string {
  return `${gv.group}/${gv.version}/${kind}`;
}

function buildSnapshot(groups: readonly GroupResources[]): Snapshot {
  const byKind = new Map<string, ResourceInfo>();
  const preferred: ResourceInfo[] = [];
  for (const g of groups) {
    for (const [i, v] of g.versions.entries()) {
      for (const r of v.resources) {
        const key = kindKey(r, r.kind);
        if (!byKind.has(key)) byKind.set(key, r);
        if (i === 0 && r.verbs.includes('list') && r.verbs.includes('watch')) preferred.push(r);
      }
    }
  }
  return { byKind, preferred };
}

export class Discovery {
  private snapshot: Snapshot | undefined;
  private running: Promise<Snapshot> | undefined;
  private next: Promise<Snapshot> | undefined;

  constructor(private readonly kube: KubeClient, private readonly opts: DiscoveryOptions = {}) {}

  /** The resource serving `kind` in `apiVersion`; refreshes once on a miss, then throws. */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const key = kindKey(splitApiVersion(apiVersion), kind);
    const cached = this.snapshot;
    const seen = cached ?? await this.loaded();
    const hit = seen.byKind.get(key) ?? (cached ? (await this.fresh()).byKind.get(key) : undefined);
    if (!hit) throw new Error(`no resource for kind ${kind} in apiVersion ${apiVersion}: is its CRD installed?`);
    return hit;
  }

  /** Reads discovery again from the API server. */
  async refresh(): Promise<void> {
    await this.fresh();
  }

  /** Every resource of each group's preferred version that can be listed and watched. */
  async allResources(): Promise<ResourceInfo[]> {
    return [...(await this.loaded()).preferred];
  }

  /** The cached snapshot, or the first one (joining a fetch already under way). */
  private async loaded(): Promise<Snapshot> {
    return this.snapshot ?? await (this.running ?? this.fresh());
  }

  /**
   * A snapshot fetched after this call: joins a fetch that has not started yet, or queues one behind a
   * running fetch (which may have started before whatever the caller is looking for existed).
   */
  private fresh(): Promise<Snapshot> {
    if (!this.running) {
      this.running = this.fetch().finally(() => { this.running = undefined; });
      return this.running;
    }
    this.next ??= this.running.catch(() => undefined).then(() => {
      this.next = undefined;
      return this.fresh();
    });
    return this.next;
  }

  private async fetch(): Promise<Snapshot> {
    try {
      const [core, named] = await Promise.all([this.fetchRoot('/api'), this.fetchRoot('/apis')]);
      const snap = buildSnapshot([...core, ...named]);
      this.snapshot = snap;
      return snap;
    } catch (cause) {
      throw new Error(`API discovery at ${this.kube.server} failed: ${(cause as Error).message}`, { cause });
    }
  }

  private async fetchRoot(root: '/api' | '/apis'): Promise<GroupResources[]> {
    const accept = this.opts.aggregated === false ? 'application/json' : AGGREGATED_ACCEPT;
    const body = await this.kube.get<unknown>(root, { headers: { accept } });
    const aggregated = aggregatedList.safeParse(body);
    if (aggregated.success) return fromAggregated(aggregated.data);
    if (root === '/api') return [await this.fetchGroup('', apiVersions.parse(body).versions)];
    const groups = apiGroupList.parse(body).groups;
    return Promise.all(groups.map((g) => {
      const names = g.versions.map((v) => v.version);
      const pref = g.preferredVersion?.version;
      return this.fetchGroup(g.name, pref ? [pref, ...names.filter((n) => n !== pref)] : names);
    }));
  }

  private async fetchGroup(group: string, versions: readonly string[]): Promise<GroupResources> {
    const found = await Promise.all(versions.map((version) => this.fetchVersion({ group, version })));
    return { group, versions: found.filter((v) => v !== undefined) };
  }

  /** One group-version's resources; undefined when it is unavailable (an aggregated API that is down). */
  private async fetchVersion(gv: GroupVersion): Promise<VersionResources | undefined> {
    const path = groupVersionPath(gv);
    try {
      const list = apiResourceList.parse(await this.kube.get<unknown>(path));
      const resources = list.resources
        .filter((r) => !r.name.includes('/'))
        .map((r) => info(gv, r.kind, r.name, r.namespaced, r.verbs));
      return { version: gv.version, resources };
    } catch (e) {
      if (!(e instanceof KubeApiError) || e.status === 0) throw e;
      this.opts.log?.(`discovery: skipping ${path}: ${e.message}`);
      return undefined;
    }
  }
}
