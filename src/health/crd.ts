// CustomResourceDefinition: terminating → Progressing; names refused (NamesAccepted False) or a
// non-structural schema → Degraded; Established True → Healthy. Not yet established is Progressing
// while the API server is still installing it (reason Installing, or no conditions yet), Degraded otherwise.
import type { KubeObject } from '../kube/client.js';
import { at, condition, conditions } from './fields.js';
import { health, type HealthResult } from './types.js';

function notEstablished(obj: KubeObject): HealthResult {
  const established = condition(obj, 'Established');
  if (!established || established.reason === 'Installing') return health('Progressing', 'Waiting for the CRD to be established');
  return health('Degraded', `CRD is not established: ${established.message ?? established.reason ?? ''}`);
}

export function crdHealth(obj: KubeObject): HealthResult {
  const terminating = condition(obj, 'Terminating');
  if (terminating?.status === 'True' || at(obj, 'metadata', 'deletionTimestamp') !== undefined) {
    return health('Progressing', `CRD is being terminated${terminating?.message ? `: ${terminating.message}` : ''}`);
  }
  if (conditions(obj).length === 0) return health('Progressing', 'Status conditions not found');
  const names = condition(obj, 'NamesAccepted');
  if (names?.status === 'False') return health('Degraded', `CRD names have not been accepted: ${names.message ?? names.reason ?? ''}`);
  const schema = condition(obj, 'NonStructuralSchema');
  if (schema?.status === 'True') return health('Degraded', `Schema violations found: ${schema.message ?? schema.reason ?? ''}`);
  if (condition(obj, 'Established')?.status !== 'True') return notEstablished(obj);
  return health('Healthy', 'CRD is established');
}
