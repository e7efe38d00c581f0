// Health for kinds without a built-in check, from the readiness condition most controllers publish
// (Flux, cert-manager, Crossplane, Cluster API, …): the first of Ready or Available decides. As in
// kstatus, a controller that has not yet observed the latest spec makes the result Progressing.
import type { KubeObject } from '../kube/client.js';
import { condition, num } from './fields.js';
import { health, type HealthResult, type HealthStatus } from './types.js';

/** Conditions read, in order of preference. */
const READINESS_CONDITIONS: readonly string[] = ['Ready', 'Available'];

const CONDITION_HEALTH: Readonly<Record<string, HealthStatus>> = {
  True: 'Healthy',
  False: 'Degraded',
  Unknown: 'Progressing',
};

function staleGeneration(obj: KubeObject): number | undefined {
  const generation = num(obj, 'metadata', 'generation');
  const observed = num(obj, 'status', 'observedGeneration');
  return generation !== undefined && observed !== undefined && observed < generation ? generation : undefined;
}

/** Undefined when the object has none of the readiness conditions: then it has no health. */
export function conditionsHealth(obj: KubeObject): HealthResult | undefined {
  const ready = READINESS_CONDITIONS.map((type) => condition(obj, type)).find((c) => c !== undefined);
  if (!ready) return undefined;
  const stale = staleGeneration(obj);
  if (stale !== undefined) return health('Progressing', `Waiting for the controller to observe generation ${stale}`);
  const detail = ready.message ?? ready.reason;
  return health(CONDITION_HEALTH[ready.status] ?? 'Unknown', detail);
}
