// ReplicaSet: a ReplicaFailure condition → Degraded (e.g. pods refused by quota); Progressing until the
// spec is observed and every desired replica is available.
import type { KubeObject } from '../kube/client.js';
import { condition, generationObserved, num } from './fields.js';
import { health, type HealthResult } from './types.js';

export function replicaSetHealth(obj: KubeObject): HealthResult {
  if (!generationObserved(obj)) {
    return health('Progressing', 'Waiting for rollout to finish: observed replica set generation less than desired generation');
  }
  const failure = condition(obj, 'ReplicaFailure');
  if (failure?.status === 'True') return health('Degraded', failure.message ?? failure.reason);
  const desired = num(obj, 'spec', 'replicas') ?? 1;
  const available = num(obj, 'status', 'availableReplicas') ?? 0;
  if (available < desired) {
    return health('Progressing', `Waiting for rollout to finish: ${available} out of ${desired} new replicas are available...`);
  }
  return health('Healthy');
}
