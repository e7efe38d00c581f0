// The live side of a reconcile: make sure every kind the Application manages (now or at the last
// reconcile) is watched, pair desired objects with live ones, find the ones to prune, compare, and
// assess health.
import type { ApplicationSpec } from '../api/application.js';
import type { KubeObject } from '../kube/client.js';
import type { ResourceInfo } from '../kube/discovery.js';
import { assessHealth, type HealthCheck } from '../health/health.js';
import { worstHealth, type HealthStatus } from '../health/types.js';
import { keyOf, keyString, owningApp } from '../sync/tracking.js';
import type { ControllerDeps } from './app-context.js';

import { imagesOf } from './app-status.js';
import { compareOne, type Comparison } from './compare.js';
import type { DesiredObject, DesiredSet } from './desired.js';
import { isHook } from '../sync/hooks.js';
import { parseSyncOptions } from '../sync/options.js';
import { kindKey, watchManagedKinds } from './watched-kinds.js';

export interface LiveEvaluation {
  readonly comparisons: Comparison[];
  readonly extras: { obj: KubeObject; info: ResourceInfo }[];
  /** Hooks from Git, paired with the live object of the same name (they are run, not compared). */
  readonly hooks: { desired: DesiredObject; live?: KubeObject }[];
  readonly health: { status: HealthStatus; message?: string };
  readonly images: string[];
  readonly errors: string[];
  /** SharedResourceWarning messages: objects in Git that another Application already manages. */
  readonly warnings: string[];
  readonly healthOf: (c: Comparison) => HealthStatus | undefined;
}


function healthFor(checks: ReadonlyMap<string, HealthCheck>): (c: Comparison) => HealthStatus | undefined {
  return (c) => (c.live ? assessHealth(c.live, checks)?.status : 'Missing');
}

export async function evaluateLive(deps: ControllerDeps, app: KubeObject, spec: ApplicationSpec, desired: DesiredSet): Promise<LiveEvaluation> {
  const healthOf = healthFor(deps.healthChecks);
  const name = app.metadata?.name ?? '';
  const infos = await watchManagedKinds(deps, app, desired.objects.map((d) => d.info));
  const owned = new Map(deps.live.ownedBy(name).map((o) => [keyString(keyOf(o)), o]));
  const { validate, replace } = parseSyncOptions(spec.syncPolicy?.syncOptions);
  const ctx = { kube: deps.kube, fieldManager: deps.flavor.fieldManager, ignore: spec.ignoreDifferences ?? [], cache: deps.dryRuns, validate, replace };
  const hooks = desired.objects.filter((d) => isHook(d.object)).map((d) => {
    const live = d.object.metadata?.name ? deps.live.get(d.info, d.object.metadata.namespace, d.object.metadata.name) : undefined;
    return { desired: d, ...(live ? { live } : {}) };
  });
  const warnings: string[] = [];
  const pairs = desired.objects.filter((d) => !isHook(d.object)).flatMap((d) => {
    const live = owned.get(keyString(keyOf(d.object))) ?? deps.live.get(d.info, d.object.metadata?.namespace, d.object.metadata?.name ?? '');
    const other = live ? owningApp(live, deps.flavor.trackingAnnotation) : undefined;
    if (other && other !== name) {
      warnings.push(`${d.object.kind ?? ''} ${d.object.metadata?.namespace ? `${d.object.metadata.namespace}/` : ''}${d.object.metadata?.name ?? ''} (${d.file}) is also part of application ${other}; it is left to ${other}`);
      return [];
    }
    return [{ d, live }];
  });
  const comparisons = await Promise.all(pairs.map(({ d, live }) => compareOne(ctx, d, live)));
  const wanted = new Set(desired.objects.map((d) => keyString(keyOf(d.object))));
  const extras = [...owned.values()].filter((o) => !wanted.has(keyString(keyOf(o))) && !isHook(o)).flatMap((obj) => {
    const info = infos.get(kindKey(keyOf(obj).group, obj.kind ?? ''));
    return info ? [{ obj, info }] : [];
  });
  const statuses = comparisons.map(healthOf).filter((s): s is HealthStatus => s !== undefined);
  const unhealthy = comparisons.find((c) => { const h = healthOf(c); return h !== undefined && h !== 'Healthy'; });
  const status = statuses.length === 0 ? 'Healthy' : worstHealth(statuses);
  const message = unhealthy?.live ? assessHealth(unhealthy.live, deps.healthChecks)?.message : undefined;
  return {
    comparisons, extras, hooks,
    health: { status, ...(status !== 'Healthy' && message ? { message } : {}) },
    images: imagesOf(comparisons.map((c) => c.live ?? c.desired?.object ?? {})),
    errors: comparisons.flatMap((c) => (c.error ? [c.error] : [])),
    warnings,
    healthOf,
  };
}
