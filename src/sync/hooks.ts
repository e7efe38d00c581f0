// Resource hooks, as Argo CD defines them: an object annotated `hook: PreSync|Sync|PostSync|SyncFail|Skip`
// (Fjord's or Argo CD's prefix) runs at that phase of a sync instead of being a normal resource, and is
// cleaned up by its delete policy (BeforeHookCreation by default, HookSucceeded, HookFailed). Helm's
// own hook annotations are mapped onto these.
import { resourceAnnotation } from '../api/flavor.js';
import type { KubeObject } from '../kube/client.js';
import type { SyncPhase } from './order.js';

export type HookType = SyncPhase | 'Skip';
export type DeletePolicy = 'BeforeHookCreation' | 'HookSucceeded' | 'HookFailed';

const HOOK_TYPES: ReadonlySet<string> = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip']);
const HELM_HOOKS: Readonly<Record<string, SyncPhase>> = {
  'pre-install': 'PreSync', 'pre-upgrade': 'PreSync', 'post-install': 'PostSync', 'post-upgrade': 'PostSync',
};
const HELM_POLICIES: Readonly<Record<string, DeletePolicy>> = {
  'before-hook-creation': 'BeforeHookCreation', 'hook-succeeded': 'HookSucceeded', 'hook-failed': 'HookFailed',
};

function annotations(obj: KubeObject): Record<string, string> | undefined {
  return obj.metadata?.['annotations'] as Record<string, string> | undefined;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** The hook types of an object; empty for a normal resource. */
export function hookTypes(obj: KubeObject): HookType[] {
  const own = list(resourceAnnotation(annotations(obj), 'hook')).filter((h): h is HookType => HOOK_TYPES.has(h));
  if (own.length > 0) return own;
  const helm = list(annotations(obj)?.['helm.sh/hook']).map((h) => HELM_HOOKS[h]).filter((h): h is SyncPhase => h !== undefined);
  return [...new Set(helm)];
}

export function isHook(obj: KubeObject): boolean {
  return hookTypes(obj).length > 0;
}

export function deletePolicies(obj: KubeObject): DeletePolicy[] {
  const own = list(resourceAnnotation(annotations(obj), 'hook-delete-policy')).filter((p): p is DeletePolicy => p === 'BeforeHookCreation' || p === 'HookSucceeded' || p === 'HookFailed');
  const helm = list(annotations(obj)?.['helm.sh/hook-delete-policy']).map((p) => HELM_POLICIES[p]).filter((p): p is DeletePolicy => p !== undefined);
  const all = [...new Set([...own, ...helm])];
  return all.length > 0 ? all : ['BeforeHookCreation'];
}

/** A hook's wave: its sync-wave, or Helm's hook-weight. */
export function hookWave(obj: KubeObject): number {
  const raw = resourceAnnotation(annotations(obj), 'sync-wave') ?? annotations(obj)?.['helm.sh/hook-weight'];
  const n = Number.parseInt(raw ?? '0', 10);
  return Number.isFinite(n) ? n : 0;
}
