// Service: a LoadBalancer is Progressing until the cloud has given it an address; any other type is
// Healthy as soon as it exists.
import type { KubeObject } from '../kube/client.js';
import { list, str } from './fields.js';
import { health, type HealthResult } from './types.js';

export function serviceHealth(obj: KubeObject): HealthResult {
  if (str(obj, 'spec', 'type') !== 'LoadBalancer') return health('Healthy');
  if (list(obj, 'status', 'loadBalancer', 'ingress').length > 0) return health('Healthy');
  return health('Progressing', 'Waiting for the load balancer to be assigned an address');
}
