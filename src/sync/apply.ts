// Applying and pruning single objects: server-side apply with Fjord's field manager (or replace,
// when asked), deletion with a propagation policy. Results are a fixed vocabulary, with a message
// that names the object.
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { ResourceInfo } from '../kube/discovery.js';
import { objectPath } from '../kube/paths.js';

export type ApplyAction = 'created' | 'configured' | 'unchanged' | 'pruned' | 'failed';

export interface ApplyOutcome {
  readonly action: ApplyAction;
  readonly message: string;
  /** The object as the API server stored it (after an apply or replace that succeeded). */
  readonly applied?: KubeObject;
}

export interface ApplyOptions {
  readonly fieldManager: string;
  readonly validate: boolean;
  readonly replace: boolean;
}

export function describeObject(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind ?? '?'} ${ns ? `${ns}/` : ''}${obj.metadata?.name ?? '?'}`;
}

export async function applyObject(kube: KubeClient, info: ResourceInfo, obj: KubeObject, live: KubeObject | undefined, opts: ApplyOptions): Promise<ApplyOutcome> {
  const name = obj.metadata?.name ?? '';
  const path = objectPath(info, name, obj.metadata?.namespace);
  try {
    const applied = opts.replace && live
      ? await kube.request('PUT', path, { body: { ...obj, metadata: { ...obj.metadata, resourceVersion: live.metadata?.resourceVersion } }, query: { fieldManager: opts.fieldManager } })
      : await kube.request('PATCH', path, {
        body: obj,
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: opts.fieldManager, force: true, fieldValidation: opts.validate ? 'Strict' : 'Ignore' },
      });
    return { action: live ? 'configured' : 'created', message: `${describeObject(obj)} ${live ? 'configured' : 'created'}`, applied };
  } catch (e) {
    return { action: 'failed', message: `${describeObject(obj)}: ${(e as Error).message}` };
  }
}

export async function pruneObject(kube: KubeClient, info: ResourceInfo, obj: KubeObject, policy: 'Foreground' | 'Background' | 'Orphan'): Promise<ApplyOutcome> {
  try {
    await kube.delete(objectPath(info, obj.metadata?.name ?? '', obj.metadata?.namespace), policy);
    return { action: 'pruned', message: `${describeObject(obj)} pruned` };
  } catch (e) {
    return { action: 'failed', message: `${describeObject(obj)}: prune failed: ${(e as Error).message}` };
  }
}
