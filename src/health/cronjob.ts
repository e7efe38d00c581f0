// CronJob: suspended → Suspended. Otherwise the status only tells when a job was last scheduled and
// last succeeded: when the last finished run was scheduled after the last success, it failed (Degraded).
// A CronJob that never ran, or has a run in flight, gives no evidence either way and counts as Healthy.
import type { KubeObject } from '../kube/client.js';
import { bool, list, str } from './fields.js';
import { health, type HealthResult } from './types.js';

function time(obj: KubeObject, field: string): number | undefined {
  const value = str(obj, 'status', field);
  const ms = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function cronJobHealth(obj: KubeObject): HealthResult {
  if (bool(obj, 'spec', 'suspend')) return health('Suspended', 'CronJob is suspended');
  const lastSchedule = time(obj, 'lastScheduleTime');
  if (lastSchedule === undefined) return health('Healthy', 'CronJob has not been scheduled yet');
  const lastSuccess = time(obj, 'lastSuccessfulTime');
  if (lastSuccess === undefined) return health('Healthy', 'CronJob has not completed a run successfully yet');
  if (list(obj, 'status', 'active').length > 0) return health('Healthy', 'A job is running; the previous run may not have succeeded');
  if (lastSuccess < lastSchedule) return health('Degraded', 'CronJob has not completed its last run successfully');
  return health('Healthy', 'CronJob has completed its last run successfully');
}
