// Writes Application status in one place, as one merge patch of the status subresource. An
// Application CRD without the subresource (Argo CD's own CRDs) gets the patch on the object itself.
// Any change is written at once. A status that differs only in reconciledAt is written when the
// written one would otherwise grow older than the status heartbeat (fjord.status.heartbeat) before
// the next periodic reconcile, or when a refresh asked for it: like a kubelet's node status, which is
// reported on change or every few minutes (ADR 13). This is what keeps an idle controller idle: the
// periodic pass compares every Application, but writes only the few whose heartbeat is due.
import { KubeApiError, type KubeObject } from '../kube/client.js';
import { applicationPath } from '../api/flavor.js';
import { jsonEqual } from '../diff/normalize.js';
import type { ControllerDeps } from './app-context.js';
import type { ApplicationStatus } from './app-status.js';

/** jsonEqual ignores absent and undefined fields alike, as the stored (JSON) status does. */
function sameApartFromTime(a: unknown, b: ApplicationStatus): boolean {
  if (!a || typeof a !== 'object') return false;
  const { reconciledAt: _a, ...restA } = a as ApplicationStatus;
  const { reconciledAt: _b, ...restB } = b;
  return jsonEqual(restA, restB);
}

/** What writeStatus did: wrote a change, wrote reconciledAt alone (heartbeat), or nothing. */
export type StatusWrite = 'changed' | 'heartbeat' | 'skipped';

/** How old the written reconciledAt may be before a reconcile that changed nothing writes it again. */
function heartbeatDueAfterMs(deps: Pick<ControllerDeps, 'reconciliationMs' | 'statusHeartbeatMs'>): number {
  return Math.max(deps.statusHeartbeatMs - deps.reconciliationMs, deps.reconciliationMs / 2);
}

/** The written reconciledAt is old enough that a reconcile must write it again even if nothing changed. */
export function heartbeatDue(deps: Pick<ControllerDeps, 'reconciliationMs' | 'statusHeartbeatMs'>, app: KubeObject): boolean {
  const at = (app['status'] as ApplicationStatus | undefined)?.reconciledAt;
  return at === undefined || Date.now() - Date.parse(at) >= heartbeatDueAfterMs(deps);
}

export async function writeStatus(deps: ControllerDeps, app: KubeObject, status: ApplicationStatus, opts: { force?: boolean } = {}): Promise<StatusWrite> {
  const prev = app['status'] as ApplicationStatus | undefined;
  const unchanged = sameApartFromTime(prev, status);
  const age = prev?.reconciledAt ? Date.now() - Date.parse(prev.reconciledAt) : Number.POSITIVE_INFINITY;
  if (unchanged && !opts.force && age < heartbeatDueAfterMs(deps)) return 'skipped';
  const base = applicationPath(deps.flavor, app.metadata?.namespace ?? '', app.metadata?.name ?? '');
  // Arrays are replaced whole by a merge patch; null removes fields that are gone (an old operationState).
  // A heartbeat sends reconciledAt alone.
  const body = unchanged
    ? { status: { reconciledAt: status.reconciledAt } }
    : { status: { ...status, operationState: status.operationState ?? null, history: status.history ?? null } };
  let written: KubeObject;
  try {
    written = await deps.kube.request('PATCH', `${base}/status`, { body, contentType: 'application/merge-patch+json' });
  } catch (e) {
    if (!(e instanceof KubeApiError) || e.status !== 404) throw e;
    written = await deps.kube.request('PATCH', base, { body, contentType: 'application/merge-patch+json' });
  }
  deps.written.record(`${app.metadata?.namespace ?? ''}/${app.metadata?.name ?? ''}`, written);
  return unchanged ? 'heartbeat' : 'changed';
}
