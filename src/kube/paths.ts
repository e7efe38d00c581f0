// URL paths of Kubernetes resources: the one place that knows `/api/v1` from `/apis/<group>/<version>`
// and where `namespaces/<ns>` goes.
import type { ResourceInfo } from './discovery.js';

export interface GroupVersion { readonly group: string; readonly version: string }

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → the core group (''). */
export function splitApiVersion(apiVersion: string): GroupVersion {
  const parts = apiVersion.split('/');
  const [a, b] = parts;
  if (parts.length > 2 || !a || (parts.length === 2 && !b)) throw new Error(`invalid apiVersion "${apiVersion}": want "version" or "group/version"`);
  return b === undefined ? { group: '', version: a } : { group: a, version: b };
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` for the others. */
export function groupVersionPath(gv: GroupVersion): string {
  return gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
}

function segment(s: string): string {
  return encodeURIComponent(s);
}

/**
 * The collection of a resource: in one namespace when it is namespaced and a namespace is given, across
 * all namespaces when it is namespaced and none is given. A namespace is ignored for cluster-scoped
 * resources (manifests sometimes carry one there).
 */
export function collectionPath(info: ResourceInfo, namespace?: string): string {
  const base = groupVersionPath(info);
  if (info.namespaced && namespace) return `${base}/namespaces/${segment(namespace)}/${info.resource}`;
  return `${base}/${info.resource}`;
}

/** One object of a resource; a namespaced resource needs its namespace. */
export function objectPath(info: ResourceInfo, name: string, namespace?: string): string {
  if (!name) throw new Error(`${info.kind}: an object path needs a name`);
  if (info.namespaced && !namespace) throw new Error(`${info.kind} ${name}: kind is namespaced, so its path needs a namespace`);
  return `${collectionPath(info, namespace)}/${segment(name)}`;
}
