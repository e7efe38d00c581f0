// Ingress (networking.k8s.io and the old extensions group): Progressing until the ingress controller
// has published an address in status.loadBalancer.ingress.
import type { KubeObject } from '../kube/client.js';
import { list } from './fields.js';
import { health, type HealthResult } from './types.js';

export function ingressHealth(obj: KubeObject): HealthResult {
  if (list(obj, 'status', 'loadBalancer', 'ingress').length > 0) return health('Healthy');
  return health('Progressing', 'Waiting for the ingress controller to assign an address');
}
