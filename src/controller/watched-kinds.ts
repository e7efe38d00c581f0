// The kinds an Application manages — those in Git now plus those in its last status (which may be
// gone from Git and need pruning or cascade deletion) — resolved on a cluster and watched there.
import type { KubeObject } from '../kube/client.js';
import type { ResourceInfo } from '../kube/discovery.js';
import type { ClusterView } from './app-context.js';
import type { ResourceStatus } from './app-status.js';

export const kindKey = (group: string, kind: string): string => `${group}/${kind}`;

/** Resolves and watches the kinds of `app`'s last status plus `current`; keyed by group/Kind. */
export async function watchManagedKinds(cluster: Pick<ClusterView, 'discovery' | 'live'>, app: KubeObject, current: readonly ResourceInfo[]): Promise<Map<string, ResourceInfo>> {
  const infos = new Map<string, ResourceInfo>(current.map((i) => [kindKey(i.group, i.kind), i]));
  const previous = ((app['status'] as { resources?: ResourceStatus[] } | undefined)?.resources ?? []);
  for (const r of previous) {
    if (infos.has(kindKey(r.group, r.kind))) continue;
    try {
      infos.set(kindKey(r.group, r.kind), await cluster.discovery.resourceFor(r.group ? `${r.group}/${r.version}` : r.version, r.kind));
    } catch { /* the kind is gone from the cluster: nothing left to watch, prune or delete */ }
  }
  for (const info of infos.values()) if (info.verbs.length === 0 || info.verbs.includes('watch')) await cluster.live.watch(info);
  return infos;
}
