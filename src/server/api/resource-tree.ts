// The resource tree of an Application: its managed objects (from the controller's watch cache) and,
// below them, the objects they own (ReplicaSets, Pods, Jobs, …) found by ownerReferences. Owned
// objects are listed on demand, only in the namespaces the Application uses and only for the kinds
// that workloads own.
import type { KubeObject } from '../../kube/client.js';
import type { ControllerDeps } from '../../controller/app-context.js';
import type { ResourceStatus } from '../../controller/app-status.js';
import { assessHealth } from '../../health/health.js';
import { imagesOf } from '../../controller/app-status.js';
import { groupOf } from '../../sync/tracking.js';

export interface ResourceRef { group: string; kind: string; namespace: string; name: string; uid?: string }

export interface ResourceNode extends ResourceRef {
  version: string;
  parentRefs: ResourceRef[];
  health?: { status: string; message?: string };
  status?: string;
  info?: { name: string; value: string }[];
  images?: string[];
  createdAt?: string;
}

/** The kinds whose objects are owned by workloads, listed per namespace. */
const OWNED_KINDS = [
  { path: 'apis/apps/v1', resource: 'replicasets', kind: 'ReplicaSet', group: 'apps', version: 'v1' },
  { path: 'api/v1', resource: 'pods', kind: 'Pod', group: '', version: 'v1' },
  { path: 'apis/batch/v1', resource: 'jobs', kind: 'Job', group: 'batch', version: 'v1' },
] as const;

function refOf(obj: KubeObject, group: string): ResourceRef {
  const uid = obj.metadata?.['uid'] as string | undefined;
  return { group, kind: obj.kind ?? '', namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '', ...(uid ? { uid } : {}) };
}

function podInfo(pod: KubeObject): { name: string; value: string }[] {
  const status = pod['status'] as { phase?: string; containerStatuses?: { ready?: boolean; restartCount?: number }[] } | undefined;
  const cs = status?.containerStatuses ?? [];
  return [
    { name: 'Status', value: status?.phase ?? 'Unknown' },
    { name: 'Containers', value: `${cs.filter((c) => c.ready).length}/${cs.length}` },
    { name: 'Restarts', value: String(cs.reduce((n, c) => n + (c.restartCount ?? 0), 0)) },
  ];
}

function nodeOf(obj: KubeObject, group: string, version: string, parents: ResourceRef[], deps: ControllerDeps): ResourceNode {
  const h = assessHealth(obj, deps.healthChecks);
  const images = imagesOf([obj]);
  const created = obj.metadata?.['creationTimestamp'] as string | undefined;
  return {
    ...refOf(obj, group), version, parentRefs: parents,
    ...(h ? { health: { status: h.status, ...(h.message ? { message: h.message } : {}) } } : {}),
    ...(obj.kind === 'Pod' ? { info: podInfo(obj) } : {}),
    ...(images.length > 0 ? { images } : {}), ...(created ? { createdAt: created } : {}),
  };
}

async function managedNodes(deps: ControllerDeps, resources: readonly ResourceStatus[]): Promise<ResourceNode[]> {
  return Promise.all(resources.map(async (r) => {
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    let live: KubeObject | undefined;
    try {
      const info = await deps.discovery.resourceFor(apiVersion, r.kind);
      live = deps.live.get(info, r.namespace || undefined, r.name);
    } catch { /* an unknown kind has no live object to show */ }
    const base: ResourceNode = live ? nodeOf(live, r.group, r.version, [], deps) : { group: r.group, kind: r.kind, namespace: r.namespace, name: r.name, version: r.version, parentRefs: [] };
    return { ...base, status: r.status, ...(r.health ? { health: r.health } : {}) };
  }));
}

async function ownedObjects(deps: ControllerDeps, namespaces: readonly string[]): Promise<{ obj: KubeObject; group: string; version: string }[]> {
  const lists = await Promise.all(namespaces.flatMap((ns) => OWNED_KINDS.map(async (k) => {
    try {
      const list = await deps.kube.get<{ items: KubeObject[] }>(`/${k.path}/namespaces/${ns}/${k.resource}`);
      return list.items.map((obj) => ({ obj: { ...obj, kind: k.kind }, group: k.group, version: k.version }));
    } catch {
      return [];
    }
  })));
  return lists.flat();
}

export async function resourceTree(deps: ControllerDeps, resources: readonly ResourceStatus[]): Promise<ResourceNode[]> {
  const nodes = await managedNodes(deps, resources);
  const namespaces = [...new Set(nodes.filter((n) => n.uid && n.namespace).map((n) => n.namespace))].slice(0, 50);
  const candidates = await ownedObjects(deps, namespaces);
  const byUid = new Map(nodes.filter((n) => n.uid).map((n) => [n.uid ?? '', n]));
  // Walk down level by level: an object joins the tree when one of its owners is already in it.
  for (let added = true; added;) {
    added = false;
    for (const c of candidates) {
      const uid = c.obj.metadata?.['uid'] as string | undefined;
      if (!uid || byUid.has(uid)) continue;
      const owners = ((c.obj.metadata?.['ownerReferences'] as { uid?: string }[] | undefined) ?? []).flatMap((o) => (o.uid && byUid.has(o.uid) ? [byUid.get(o.uid)] : []));
      if (owners.length === 0) continue;
      const node = nodeOf(c.obj, c.group || groupOf(c.obj.apiVersion), c.version, owners.flatMap((o) => (o ? [{ group: o.group, kind: o.kind, namespace: o.namespace, name: o.name, ...(o.uid ? { uid: o.uid } : {}) }] : [])), deps);
      byUid.set(uid, node);
      nodes.push(node);
      added = true;
    }
  }
  return nodes;
}
