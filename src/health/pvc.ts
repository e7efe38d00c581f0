// PersistentVolumeClaim: by phase. Pending is Progressing (it may wait for its first consumer when the
// storage class binds on first use), Lost means the bound volume is gone.
import type { KubeObject } from '../kube/client.js';
import { str } from './fields.js';
import { health, type HealthResult, type HealthStatus } from './types.js';

const PHASE_HEALTH: Readonly<Record<string, HealthStatus>> = {
  Bound: 'Healthy',
  Pending: 'Progressing',
  Lost: 'Degraded',
};

export function pvcHealth(obj: KubeObject): HealthResult {
  const phase = str(obj, 'status', 'phase');
  const status = phase === undefined ? undefined : PHASE_HEALTH[phase];
  if (status === undefined) return health('Unknown', phase ? `Unexpected claim phase ${phase}` : 'The claim has no phase yet');
  return health(status, status === 'Healthy' ? undefined : `Claim is ${phase ?? ''}`);
}
