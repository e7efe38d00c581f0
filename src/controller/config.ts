// Controller settings from the `fjord-cm` (or `argocd-cm`) ConfigMap, with the seeds' keys, overridable
// by flags: timeout.reconciliation (full re-render period, default 180s), status.processors,
// operation.processors, reposerver.parallelism.limit, and Fjord's own revision poll interval and
// status heartbeat.
export interface ControllerConfig {
  readonly reconciliationMs: number;
  readonly statusProcessors: number;
  readonly operationProcessors: number;
  readonly repoParallelism: number;
  readonly pollIntervalMs: number;
  /**
   * fjord.status.heartbeat: the longest an Application's `status.reconciledAt` may go unwritten when
   * nothing else in its status changed (default 10m). Changes are written at once; see ADR 13.
   */
  readonly statusHeartbeatMs: number;
  /** Lua health checks: `resource.customizations.health.<group>_<Kind>` keys and their scripts. */
  readonly healthScripts: Readonly<Record<string, string>>;
}

export const DEFAULT_CONFIG: ControllerConfig = {
  reconciliationMs: 180_000,
  statusProcessors: 20,
  operationProcessors: 10,
  repoParallelism: 0,
  pollIntervalMs: 3_000,
  statusHeartbeatMs: 600_000,
  healthScripts: {},
};

/** Parses Go-style durations as Argo CD writes them: `180s`, `3m`, `1h30m`, `500ms`, or plain seconds. */
export function parseDuration(value: string): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  let total = 0;
  let pos = 0;
  while (pos < v.length) {
    re.lastIndex = pos;
    const m = re.exec(v);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2] as keyof typeof unit];
    pos = re.lastIndex;
  }
  return v.length > 0 ? total : undefined;
}

function positiveInt(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function configFromData(data: Record<string, string> | undefined, base: ControllerConfig = DEFAULT_CONFIG): { config: ControllerConfig; problems: string[] } {
  const problems: string[] = [];
  const duration = (key: string, fallback: number): number => {
    const raw = data?.[key];
    if (raw === undefined) return fallback;
    const ms = parseDuration(raw);
    if (ms === undefined) { problems.push(`${key}: "${raw}" is not a duration (e.g. 180s, 3m)`); return fallback; }
    return ms;
  };
  const count = (key: string, fallback: number): number => {
    const raw = data?.[key];
    if (raw === undefined) return fallback;
    const n = positiveInt(raw);
    if (n === undefined) { problems.push(`${key}: "${raw}" is not a positive integer`); return fallback; }
    return n;
  };
  return {
    config: {
      reconciliationMs: duration('timeout.reconciliation', base.reconciliationMs),
      statusProcessors: count('status.processors', base.statusProcessors),
      operationProcessors: count('operation.processors', base.operationProcessors),
      repoParallelism: data?.['reposerver.parallelism.limit'] === '0' ? 0 : count('reposerver.parallelism.limit', base.repoParallelism),
      pollIntervalMs: duration('fjord.revisionPoll.interval', base.pollIntervalMs),
      statusHeartbeatMs: duration('fjord.status.heartbeat', base.statusHeartbeatMs),
      healthScripts: Object.fromEntries(Object.entries(data ?? {}).filter(([k]) => k.startsWith('resource.customizations.health.'))),
    },
    problems,
  };
}
