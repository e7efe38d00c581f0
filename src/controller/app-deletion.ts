// Deleting an Application: with the resources finalizer its managed objects are deleted first
// (cascade; resources annotated Delete=false are left), then the finalizer is removed; without it
// Kubernetes removes the Application at once and its resources stay.
import type { KubeObject } from '../kube/client.js';
import type { ResourceInfo } from '../kube/discovery.js';
import { resourceDisallows } from '../sync/options.js';
import { pruneObject } from '../sync/apply.js';
import type { Logger } from '../util/log.js';
import type { ReconcileResult } from './queue.js';
import type { ControllerDeps } from './app-context.js';
import type { ResourceStatus } from './app-status.js';

function appPath(deps: ControllerDeps, app: KubeObject): string {
  return `/apis/${deps.flavor.group}/${deps.flavor.version}/namespaces/${app.metadata?.namespace ?? ''}/applications/${app.metadata?.name ?? ''}`;
}

async function ownedWithInfo(deps: ControllerDeps, app: KubeObject): Promise<{ obj: KubeObject; info: ResourceInfo }[]> {
  const resources = ((app['status'] as { resources?: ResourceStatus[] } | undefined)?.resources ?? []);
  const infos: ResourceInfo[] = [];
  for (const r of resources) {
    try {
      const info = await deps.discovery.resourceFor(r.group ? `${r.group}/${r.version}` : r.version, r.kind);
      if (!infos.some((i) => i.group === info.group && i.kind === info.kind)) infos.push(info);
    } catch { /* kind gone */ }
  }
  for (const info of infos) await deps.live.watch(info);
  return deps.live.ownedBy(app.metadata?.name ?? '').flatMap((obj) => {
    const info = infos.find((i) => i.kind === obj.kind);
    return info ? [{ obj, info }] : [];
  });
}

export async function finalizeDeletion(deps: ControllerDeps, app: KubeObject, log: Logger): Promise<ReconcileResult> {
  const finalizers = (app.metadata?.['finalizers'] ?? []) as string[];
  const ours = finalizers.filter((f) => f === deps.flavor.resourcesFinalizer || f.startsWith(`${deps.flavor.resourcesFinalizer}/`));
  if (ours.length === 0) return {};
  const policy = ours.some((f) => f.endsWith('/background')) ? 'Background' : 'Foreground';
  const owned = (await ownedWithInfo(deps, app)).filter(({ obj }) => !resourceDisallows(obj, 'Delete'));
  const remaining = owned.filter(({ obj }) => !obj.metadata?.['deletionTimestamp']);
  for (const { obj, info } of remaining) {
    const r = await pruneObject(deps.kube, info, obj, policy);
    log.info('cascade delete', { result: r.message });
  }
  if (owned.length > 0) return { requeueAfterMs: 1000 };
  await deps.kube.request('PATCH', appPath(deps, app), {
    body: { metadata: { finalizers: finalizers.filter((f) => !ours.includes(f)), resourceVersion: app.metadata?.resourceVersion } },
    contentType: 'application/merge-patch+json',
  });
  log.info('resources deleted; finalizer removed');
  return {};
}
