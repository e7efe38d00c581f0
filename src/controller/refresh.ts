// The refresh annotation (`fjord.dev/refresh` or, in compat mode, `argocd.argoproj.io/refresh`), as
// `argocd app get --refresh|--hard-refresh` sets it: `normal` asks the repository itself now instead
// of trusting the last poll; `hard` also drops cached renders. The annotation is removed once seen.
// A replica that receives a webhook for an Application another replica owns sets `normal` on it.
import type { KubeObject } from '../kube/client.js';
import { applicationPath } from '../api/flavor.js';
import type { ControllerDeps } from './app-context.js';

export type RefreshKind = 'normal' | 'hard' | undefined;

export function refreshRequested(app: KubeObject, annotation: string): RefreshKind {
  const v = (app.metadata?.['annotations'] as Record<string, string> | undefined)?.[annotation];
  if (v === undefined) return undefined;
  return v === 'hard' ? 'hard' : 'normal';
}

/** Clears what a refresh asks to clear, removes the annotation, and returns the deps to reconcile with and whether a refresh was asked for. */
export async function handleRefresh(deps: ControllerDeps, app: KubeObject): Promise<{ deps: ControllerDeps; refreshed: boolean }> {
  const kind = refreshRequested(app, deps.flavor.refreshAnnotation);
  if (!kind) return { deps, refreshed: false };
  const path = applicationPath(deps.flavor, app.metadata?.namespace ?? '', app.metadata?.name ?? '');
  const written = await deps.kube.request('PATCH', path, { body: { metadata: { annotations: { [deps.flavor.refreshAnnotation]: null } } }, contentType: 'application/merge-patch+json' });
  deps.written.record(`${app.metadata?.namespace ?? ''}/${app.metadata?.name ?? ''}`, written);
  if (kind === 'hard') deps.renderCache.clear();
  return { deps: { ...deps, knownRefs: () => undefined }, refreshed: true };
}
