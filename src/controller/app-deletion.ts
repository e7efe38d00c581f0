// Deleting an Application: with the resources finalizer its managed objects are deleted first
// (cascade; resources annotated Delete=false are left), then the finalizer is removed; without it
// Kubernetes removes the Application at once and its resources stay. Resources are deleted on the
// destination cluster; when that cluster is no longer registered they are left there and the
// finalizer goes (Argo CD's rule), while an unreachable registered cluster is retried.
import type { KubeObject } from '../kube/client.js';
import { applicationPath } from '../api/flavor.js';
import type { ResourceInfo } from '../kube/discovery.js';
import { resourceDisallows } from '../sync/options.js';
import { pruneObject } from '../sync/apply.js';
import type { Logger } from '../util/log.js';
import type { ReconcileResult } from './queue.js';
import type { ClusterView, ControllerDeps } from './app-context.js';
import type { Destination } from './clusters.js';

import { kindKey, watchManagedKinds } from './watched-kinds.js';
import { groupOf } from '../sync/tracking.js';

function appPath(deps: ControllerDeps, app: KubeObject): string {
  return applicationPath(deps.flavor, app.metadata?.namespace ?? '', app.metadata?.name ?? '');
}

function destinationOf(app: KubeObject): Destination {
  const d = (app['spec'] as { destination?: { server?: unknown; name?: unknown } } | undefined)?.destination;
  return { ...(typeof d?.server === 'string' ? { server: d.server } : {}), ...(typeof d?.name === 'string' ? { name: d.name } : {}) };
}

async function removeFinalizers(deps: ControllerDeps, app: KubeObject, finalizers: string[], ours: string[]): Promise<void> {
  await deps.kube.request('PATCH', appPath(deps, app), {
    body: { metadata: { finalizers: finalizers.filter((f) => !ours.includes(f)), resourceVersion: app.metadata?.resourceVersion } },
    contentType: 'application/merge-patch+json',
  });
}

async function ownedWithInfo(cluster: ClusterView, app: KubeObject): Promise<{ obj: KubeObject; info: ResourceInfo }[]> {
  const infos = await watchManagedKinds(cluster, app, []);
  return cluster.live.ownedBy(app.metadata?.name ?? '').flatMap((obj) => {
    const info = infos.get(kindKey(groupOf(obj.apiVersion), obj.kind ?? ''));
    return info ? [{ obj, info }] : [];
  });
}

export async function finalizeDeletion(deps: ControllerDeps, app: KubeObject, log: Logger): Promise<ReconcileResult> {
  const finalizers = (app.metadata?.['finalizers'] ?? []) as string[];
  const ours = finalizers.filter((f) => f === deps.flavor.resourcesFinalizer || f.startsWith(`${deps.flavor.resourcesFinalizer}/`));
  if (ours.length === 0) return {};
  const ref = deps.clusters.find(destinationOf(app));
  if ('error' in ref && !ref.registered) {
    log.warn('destination cluster not registered: its resources are left in place', { error: ref.error });
    await removeFinalizers(deps, app, finalizers, ours);
    return {};
  }
  const cluster = 'error' in ref ? ref : await deps.clusters.connect(ref);
  if ('error' in cluster) throw new Error(`cascade delete: ${cluster.error}`);
  const policy = ours.some((f) => f.endsWith('/background')) ? 'Background' : 'Foreground';
  const owned = (await ownedWithInfo(cluster, app)).filter(({ obj }) => !resourceDisallows(obj, 'Delete'));
  const remaining = owned.filter(({ obj }) => !obj.metadata?.['deletionTimestamp']);
  for (const { obj, info } of remaining) {
    const r = await pruneObject(cluster.kube, info, obj, policy);
    log.info('cascade delete', { result: r.message });
  }
  if (owned.length > 0) return { requeueAfterMs: 1000 };
  await removeFinalizers(deps, app, finalizers, ours);
  log.info('resources deleted; finalizer removed');
  return {};
}
