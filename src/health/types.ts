// Health vocabulary, shared with Argo CD's Application API (status.health.status).

export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

export interface HealthResult { status: HealthStatus; message?: string }

/**
 * Aggregation precedence, best first, as Argo CD orders it (gitops-engine `IsWorse`): an Application's
 * health is the worst of its direct children. Unknown ranks worst: a resource whose health cannot be
 * assessed must not let the whole application look better than it is.
 */
export const HEALTH_ORDER: readonly HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

const RANK: ReadonlyMap<HealthStatus, number> = new Map(HEALTH_ORDER.map((s, i) => [s, i]));

export function isHealthStatus(value: unknown): value is HealthStatus {
  return typeof value === 'string' && RANK.has(value as HealthStatus);
}

/** True when `a` ranks strictly worse than `b`. */
export function isWorse(a: HealthStatus, b: HealthStatus): boolean {
  return (RANK.get(a) ?? 0) > (RANK.get(b) ?? 0);
}

/** The worst of the statuses; Healthy for none (an application with no resources is Healthy). */
export function worstHealth(statuses: readonly HealthStatus[]): HealthStatus {
  return statuses.reduce<HealthStatus>((worst, s) => (isWorse(s, worst) ? s : worst), 'Healthy');
}

/** Builds a result without an empty message (exactOptionalPropertyTypes). */
export function health(status: HealthStatus, message?: string): HealthResult {
  return message ? { status, message } : { status };
}
