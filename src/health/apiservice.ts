// APIService (apiregistration.k8s.io): Healthy once its Available condition is True. An aggregated API
// whose backend is down is reported Progressing, as Argo CD does: the backing Deployment carries the
// Degraded signal.
import type { KubeObject } from '../kube/client.js';
import { condition } from './fields.js';
import { health, type HealthResult } from './types.js';

export function apiServiceHealth(obj: KubeObject): HealthResult {
  const available = condition(obj, 'Available');
  if (!available) return health('Progressing', 'Waiting to be processed');
  const detail = [available.reason, available.message].filter(Boolean).join(': ');
  return health(available.status === 'True' ? 'Healthy' : 'Progressing', detail);
}
