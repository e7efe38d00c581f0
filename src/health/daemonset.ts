// DaemonSet: Progressing until the spec is observed and every scheduled node runs an updated,
// available pod. With the OnDelete strategy old pods stay until deleted, so that is not waited for.
import type { KubeObject } from '../kube/client.js';
import { generationObserved, name, num, str } from './fields.js';
import { health, type HealthResult } from './types.js';

export function daemonSetHealth(obj: KubeObject): HealthResult {
  if (!generationObserved(obj)) {
    return health('Progressing', 'Waiting for rollout to finish: observed daemon set generation less than desired generation');
  }
  const desired = num(obj, 'status', 'desiredNumberScheduled') ?? 0;
  const updated = num(obj, 'status', 'updatedNumberScheduled') ?? 0;
  const available = num(obj, 'status', 'numberAvailable') ?? 0;
  if (str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
    return health('Healthy', `daemon set ${updated} out of ${desired} new pods have been updated`);
  }
  const waiting = `Waiting for daemon set "${name(obj)}" rollout to finish`;
  if (updated < desired) return health('Progressing', `${waiting}: ${updated} out of ${desired} new pods have been updated...`);
  if (available < desired) return health('Progressing', `${waiting}: ${available} of ${desired} updated pods are available...`);
  return health('Healthy');
}
