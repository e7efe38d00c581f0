// The comparison of one Application for people (API, UI, CLI `app diff`): the same render, dry-run
// prediction and ignoreDifferences as a reconcile, without writing anything. Reuses the controller's
// caches, so a diff right after a reconcile costs no render and no dry run.
import type { KubeObject } from '../kube/client.js';
import { credentialsFor } from './repo-credentials.js';
import { fetchAndRender } from './app-source.js';
import { desiredOn, onCluster, validate } from './app-reconciler.js';
import { evaluateLive } from './app-live.js';
import type { ControllerDeps } from './app-context.js';
import type { Comparison } from './compare.js';
import type { ResourceInfo } from '../kube/discovery.js';

export interface AppComparison {
  readonly comparisons: readonly Comparison[];
  /** Live objects of the Application that Git no longer has (they would be pruned). */
  readonly extras: readonly { obj: KubeObject; info: ResourceInfo }[];
  readonly healthOf: (c: Comparison) => string | undefined;
}

export async function compareApplication(deps: ControllerDeps, app: KubeObject): Promise<AppComparison | { error: string }> {
  const v = validate(deps, app);
  if ('type' in v) return { error: v.message };
  const source = v.spec.source ?? v.spec.sources?.[0];
  if (!source) return { error: 'spec.source is required' };
  const cluster = await deps.clusters.connect(v.cluster);
  if ('error' in cluster) return { error: cluster.error };
  const name = app.metadata?.name ?? '';
  try {
    const creds = credentialsFor(source.repoURL, deps.repoSecrets.list(), deps.flavor.secretTypeLabel);
    const src = await fetchAndRender(deps, source, name, v.spec.destination.namespace, creds);
    const desired = await desiredOn(deps, cluster, name, v, src);
    const live = await evaluateLive(onCluster(deps, cluster), app, v.spec, desired);
    return { comparisons: live.comparisons, extras: live.extras, healthOf: live.healthOf };
  } catch (e) {
    return { error: `${source.path || '.'}@${source.targetRevision}: ${(e as Error).message}` };
  }
}
