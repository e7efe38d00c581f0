// Writes Application status in one place, as one merge patch of the status subresource. An
// Application CRD without the subresource (Argo CD's own CRDs) gets the patch on the object itself.
// Nothing is written when nothing but reconciledAt changed within the reconciliation period.
import { KubeApiError, type KubeObject } from '../kube/client.js';
import { applicationPath } from '../api/flavor.js';
import { jsonEqual } from '../diff/normalize.js';
import type { ControllerDeps } from './app-context.js';
import type { ApplicationStatus } from './app-status.js';

function sameApartFromTime(a: unknown, b: ApplicationStatus): boolean {
  if (!a || typeof a !== 'object') return false;
  const { reconciledAt: _a, ...restA } = a as ApplicationStatus;
  const { reconciledAt: _b, ...restB } = b;
  return jsonEqual(JSON.parse(JSON.stringify(restA)), JSON.parse(JSON.stringify(restB)));
}

export async function writeStatus(deps: ControllerDeps, app: KubeObject, status: ApplicationStatus): Promise<void> {
  const prev = app['status'] as ApplicationStatus | undefined;
  const age = prev?.reconciledAt ? Date.now() - Date.parse(prev.reconciledAt) : Number.POSITIVE_INFINITY;
  if (sameApartFromTime(prev, status) && age < deps.reconciliationMs / 2) return;
  const base = applicationPath(deps.flavor, app.metadata?.namespace ?? '', app.metadata?.name ?? '');
  // Arrays are replaced whole by a merge patch; null removes fields that are gone (an old operationState).
  const body = { status: { ...status, operationState: status.operationState ?? null, history: status.history ?? null } };
  let written: KubeObject;
  try {
    written = await deps.kube.request('PATCH', `${base}/status`, { body, contentType: 'application/merge-patch+json' });
  } catch (e) {
    if (!(e instanceof KubeApiError) || e.status !== 404) throw e;
    written = await deps.kube.request('PATCH', base, { body, contentType: 'application/merge-patch+json' });
  }
  deps.written.record(`${app.metadata?.namespace ?? ''}/${app.metadata?.name ?? ''}`, written);
}
