// Job: Failed condition → Degraded, Complete → Healthy, suspended → Suspended, otherwise Progressing.
import type { KubeObject } from '../kube/client.js';
import { bool, condition, num } from './fields.js';
import { health, type HealthResult, type HealthStatus } from './types.js';

/** Terminal conditions, in the order they are checked. */
const TERMINAL: readonly (readonly [type: string, status: HealthStatus])[] = [
  ['Failed', 'Degraded'],
  ['Complete', 'Healthy'],
];

export function jobHealth(obj: KubeObject): HealthResult {
  for (const [type, status] of TERMINAL) {
    const c = condition(obj, type);
    if (c?.status === 'True') return health(status, c.message ?? c.reason);
  }
  if (bool(obj, 'spec', 'suspend')) return health('Suspended', 'Job is suspended');
  const active = num(obj, 'status', 'active') ?? 0;
  return health('Progressing', active > 0 ? `Job has ${active} active pods` : 'Waiting for the job to start');
}
