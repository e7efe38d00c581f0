// Pod: by phase. A long-running pod (restartPolicy Always, the default) whose container is stuck
// waiting on an error (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError, …)
// is Degraded whatever its phase. Run-to-completion pods (OnFailure, Never; typically hooks) are
// Progressing while they run, so a retrying image pull does not fail a hook early.
import type { KubeObject } from '../kube/client.js';
import { at, isTrue, list, num, str } from './fields.js';
import { health, type HealthResult, type HealthStatus } from './types.js';

/** Waiting reasons that mean the kubelet hit an error, not that it is still working. */
const ERROR_WAITING_REASON = /^Err|Error$|BackOff$/;

/** Phases whose health does not depend on anything else. */
const PHASE_HEALTH: Readonly<Record<string, HealthStatus>> = {
  Pending: 'Progressing',
  Succeeded: 'Healthy',
};

function containerStatuses(obj: KubeObject): unknown[] {
  return [...list(obj, 'status', 'initContainerStatuses'), ...list(obj, 'status', 'containerStatuses')];
}

function longRunning(obj: KubeObject): boolean {
  return (str(obj, 'spec', 'restartPolicy') ?? 'Always') === 'Always';
}

function stuckContainers(obj: KubeObject): string[] {
  return containerStatuses(obj).flatMap((c) => {
    const reason = str(c, 'state', 'waiting', 'reason');
    if (reason === undefined || !ERROR_WAITING_REASON.test(reason)) return [];
    const message = str(c, 'state', 'waiting', 'message');
    return [`container "${str(c, 'name') ?? ''}" is waiting: ${reason}${message ? `: ${message}` : ''}`];
  });
}

function terminationMessage(c: unknown): string | undefined {
  const message = str(c, 'state', 'terminated', 'message');
  if (message) return message;
  const reason = str(c, 'state', 'terminated', 'reason');
  const exitCode = num(c, 'state', 'terminated', 'exitCode') ?? 0;
  if (reason === 'OOMKilled') return `container "${str(c, 'name') ?? ''}" was OOMKilled`;
  return exitCode !== 0 ? `container "${str(c, 'name') ?? ''}" failed with exit code ${exitCode}` : undefined;
}

function failedHealth(obj: KubeObject): HealthResult {
  const message = str(obj, 'status', 'message') ?? containerStatuses(obj).map(terminationMessage).find((m) => m !== undefined);
  return health('Degraded', message);
}

function runningHealth(obj: KubeObject, message: string | undefined): HealthResult {
  if (!longRunning(obj)) return health('Progressing', message);
  if (isTrue(obj, 'Ready')) return health('Healthy', message);
  const restarted = list(obj, 'status', 'containerStatuses').some((c) => at(c, 'lastState', 'terminated') !== undefined);
  return health(restarted ? 'Degraded' : 'Progressing', message);
}

export function podHealth(obj: KubeObject): HealthResult {
  const stuck = longRunning(obj) ? stuckContainers(obj) : [];
  if (stuck.length > 0) return health('Degraded', stuck.join('; '));
  const phase = str(obj, 'status', 'phase') ?? 'Unknown';
  const message = str(obj, 'status', 'message');
  const fixed = PHASE_HEALTH[phase];
  if (fixed) return health(fixed, message);
  if (phase === 'Failed') return failedHealth(obj);
  if (phase === 'Running') return runningHealth(obj, message);
  return health('Unknown', message);
}
