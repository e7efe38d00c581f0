// Application (argoproj.io or fjord.dev): the child application's own aggregated health, passed
// through, so app-of-apps sync waves wait for children. Argo CD dropped this built-in in 1.8
// (argo-cd#3781) and documents a Lua snippet to restore it; Fjord has it on. No health yet → Progressing.
import type { KubeObject } from '../kube/client.js';
import { at, str } from './fields.js';
import { health, isHealthStatus, type HealthResult } from './types.js';

export function applicationHealth(obj: KubeObject): HealthResult {
  const status = at(obj, 'status', 'health', 'status');
  const message = str(obj, 'status', 'health', 'message');
  if (status === undefined) return health('Progressing', message ?? 'Waiting for the application to report its health');
  if (!isHealthStatus(status)) return health('Unknown', `Unrecognised health status ${JSON.stringify(status)}`);
  return health(status, message);
}
