// What a requested sync covers beyond "everything now": selected resources (`argocd app sync
// --resource`, no hooks run, as in Argo CD), a dry run (nothing changes; the result says what would),
// and sync options given for this operation only. The scope is stored in the operation state, so a
// sync resumed after a restart keeps it; a requested termination ends the operation.
import type { KubeObject } from '../kube/client.js';
import { groupOf } from '../sync/tracking.js';
import type { LiveEvaluation } from './app-live.js';
import type { ResourceResult } from './app-status.js';

export interface ResourceSelector { group: string; kind: string; namespace: string; name: string }

export interface OperationScope {
  readonly resources?: readonly ResourceSelector[];
  readonly dryRun?: boolean;
  readonly syncOptions?: readonly string[];
}

function asSelectors(v: unknown): ResourceSelector[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.flatMap((r: unknown) => {
    if (typeof r !== 'object' || r === null) return [];
    const o = r as Record<string, unknown>;
    const str = (k: string): string => (typeof o[k] === 'string' ? o[k] : '');
    return str('kind') && str('name') ? [{ group: str('group'), kind: str('kind'), namespace: str('namespace'), name: str('name') }] : [];
  });
}

/** The scope of a sync as written in `operation.sync` (or in a running operation's state). */
export function scopeOf(sync: Record<string, unknown> | undefined): OperationScope {
  const resources = asSelectors(sync?.['resources']);
  const options = Array.isArray(sync?.['syncOptions']) ? (sync['syncOptions'] as unknown[]).filter((s): s is string => typeof s === 'string') : [];
  return { ...(resources ? { resources } : {}), ...(sync?.['dryRun'] === true ? { dryRun: true } : {}), ...(options.length > 0 ? { syncOptions: options } : {}) };
}

function selects(sel: readonly ResourceSelector[], obj: KubeObject): boolean {
  const group = groupOf(obj.apiVersion);
  const ns = obj.metadata?.namespace ?? '';
  return sel.some((s) => s.group === group && s.kind === obj.kind && s.name === obj.metadata?.name && (s.namespace === '' || s.namespace === ns));
}

/** The live evaluation narrowed to the selected resources, without hooks; unchanged without a selection. */
export function narrowed(live: LiveEvaluation, scope: OperationScope): LiveEvaluation {
  const sel = scope.resources;
  if (!sel) return live;
  return {
    ...live,
    comparisons: live.comparisons.filter((c) => c.desired && selects(sel, c.desired.object)),
    extras: live.extras.filter((e) => selects(sel, e.obj)),
    hooks: [],
  };
}

function result(obj: KubeObject, version: string, status: ResourceResult['status'], message: string): ResourceResult {
  return { group: groupOf(obj.apiVersion), version, kind: obj.kind ?? '', namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '', status, message, syncPhase: 'Sync', syncWave: 0 };
}

/** What a sync would do, without doing it. */
export function dryRunResults(live: LiveEvaluation, prune: boolean): { message: string; results: ResourceResult[] } {
  const apply = live.comparisons.filter((c) => c.status === 'OutOfSync' && c.desired);
  const results = [
    ...apply.map((c) => result(c.desired?.object ?? {}, c.desired?.info.version ?? '', 'Synced', `${c.live ? 'configured' : 'created'} (dry run)`)),
    ...live.extras.map((e) => result(e.obj, e.info.version, prune ? 'Pruned' : 'PruneSkipped', prune ? 'pruned (dry run)' : 'ignored (requires pruning) (dry run)')),
  ];
  return { message: `dry run: ${apply.length} to apply, ${prune ? live.extras.length : 0} to prune; nothing changed`, results };
}
