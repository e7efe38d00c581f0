// Namespace: Active → Healthy; Terminating (finalizers still running) → Progressing. Argo CD has no
// built-in check for namespaces; one is needed here so a namespace being deleted is not reported healthy.
import type { KubeObject } from '../kube/client.js';
import { str } from './fields.js';
import { health, type HealthResult } from './types.js';

export function namespaceHealth(obj: KubeObject): HealthResult {
  const phase = str(obj, 'status', 'phase');
  if (phase === 'Active') return health('Healthy');
  if (phase === 'Terminating') return health('Progressing', 'Namespace is terminating');
  return health('Progressing', 'Waiting for the namespace to become active');
}
