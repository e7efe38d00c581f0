// Deployment: paused → Suspended; a missed progress deadline → Degraded; otherwise Progressing until
// the controller has observed the spec and every replica is updated and available (kubectl rollout status).
import type { KubeObject } from '../kube/client.js';
import { bool, condition, generationObserved, name, num } from './fields.js';
import { health, type HealthResult } from './types.js';

interface Replicas { desired: number | undefined; current: number; updated: number; available: number }

interface RolloutStep { pending: (r: Replicas) => boolean; message: (r: Replicas) => string }

/** Checked in order; the first pending step is what the rollout waits for. */
const ROLLOUT_STEPS: readonly RolloutStep[] = [
  {
    pending: (r) => r.desired !== undefined && r.updated < r.desired,
    message: (r) => `Waiting for rollout to finish: ${r.updated} out of ${r.desired ?? 0} new replicas have been updated...`,
  },
  {
    pending: (r) => r.current > r.updated,
    message: (r) => `Waiting for rollout to finish: ${r.current - r.updated} old replicas are pending termination...`,
  },
  {
    pending: (r) => r.available < r.updated,
    message: (r) => `Waiting for rollout to finish: ${r.available} of ${r.updated} updated replicas are available...`,
  },
];

function replicas(obj: KubeObject): Replicas {
  return {
    desired: num(obj, 'spec', 'replicas'),
    current: num(obj, 'status', 'replicas') ?? 0,
    updated: num(obj, 'status', 'updatedReplicas') ?? 0,
    available: num(obj, 'status', 'availableReplicas') ?? 0,
  };
}

export function deploymentHealth(obj: KubeObject): HealthResult {
  if (bool(obj, 'spec', 'paused')) return health('Suspended', 'Deployment is paused');
  if (!generationObserved(obj)) {
    return health('Progressing', 'Waiting for rollout to finish: observed deployment generation less than desired generation');
  }
  if (condition(obj, 'Progressing')?.reason === 'ProgressDeadlineExceeded') {
    return health('Degraded', `Deployment "${name(obj)}" exceeded its progress deadline`);
  }
  const r = replicas(obj);
  const step = ROLLOUT_STEPS.find((s) => s.pending(r));
  return step ? health('Progressing', step.message(r)) : health('Healthy');
}
