// How Applications read in a terminal: the list row, the summary block of `get`, its conditions and
// resources, the result of an operation. Pure functions of the API's objects, tested on their own.
import { stringify } from 'yaml';
import type { Application, ApplicationSourceView, ResourceResult, ResourceStatus } from '../../client/types.js';
import type { OutputFormat } from './command.js';
import { firstLine, formatFields, formatTable } from './table.js';

export function shortRevision(rev: string | undefined): string {
  if (!rev) return '';
  return /^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 7) : rev;
}

export function sourceOf(app: Application): ApplicationSourceView | undefined {
  return app.spec.source ?? app.spec.sources?.[0];
}

export function syncPolicyOf(app: Application): string {
  const auto = app.spec.syncPolicy?.automated;
  if (!auto || auto.enabled === false) return 'Manual';
  const flags = [auto.prune ? 'Prune' : '', auto.selfHeal ? 'SelfHeal' : ''].filter(Boolean);
  return flags.length > 0 ? `Automated (${flags.join(', ')})` : 'Automated';
}

function cluster(app: Application): string {
  return app.spec.destination.server ?? app.spec.destination.name ?? '';
}

const LIST_HEADERS = ['NAME', 'PROJECT', 'SYNC', 'HEALTH', 'REPO', 'PATH', 'TARGET'];
const WIDE_HEADERS = ['NAME', 'CLUSTER', 'NAMESPACE', 'PROJECT', 'SYNC', 'HEALTH', 'SYNCPOLICY', 'CONDITIONS', 'REPO', 'PATH', 'TARGET', 'REVISION'];

function listRow(app: Application, wide: boolean): string[] {
  const src = sourceOf(app);
  const s = app.status ?? {};
  const base = [app.metadata.name, app.spec.project ?? 'default'];
  const state = [s.sync?.status ?? 'Unknown', s.health?.status ?? 'Unknown'];
  const where = [src?.repoURL ?? '', src?.chart ?? src?.path ?? '', src?.targetRevision ?? 'HEAD'];
  if (!wide) return [...base, ...state, ...where];
  const conditions = (s.conditions ?? []).map((c) => c.type).join(',');
  return [base[0] ?? '', cluster(app), app.spec.destination.namespace ?? '', base[1] ?? '', ...state, syncPolicyOf(app), conditions, ...where, shortRevision(s.sync?.revision)];
}

export function formatList(apps: readonly Application[], wide = false): string {
  return formatTable(wide ? WIDE_HEADERS : LIST_HEADERS, apps.map((a) => listRow(a, wide)));
}

function operationLine(app: Application): string {
  const op = app.status?.operationState;
  if (!op) return app.operation ? 'Sync requested' : '';
  const when = op.finishedAt ? ` at ${op.finishedAt}` : ` since ${op.startedAt}`;
  return `Sync ${op.phase}${when}${op.message ? `: ${firstLine(op.message, 200)}` : ''}`;
}

export function formatSummary(app: Application): string {
  const src = sourceOf(app);
  const s = app.status ?? {};
  const target = src?.targetRevision ?? 'HEAD';
  const rev = shortRevision(s.sync?.revision);
  const fields: [string, string][] = [
    ['Name', app.metadata.name],
    ['Project', app.spec.project ?? 'default'],
    ['Server', cluster(app) || '-'],
    ['Namespace', app.spec.destination.namespace ?? '-'],
    ['Repo', src?.repoURL ?? '-'],
    ['Target', target],
    [src?.chart ? 'Chart' : 'Path', (src?.chart ?? src?.path) || '-'],
    ['Sync Policy', syncPolicyOf(app)],
    ['Sync Status', `${s.sync?.status ?? 'Unknown'}${rev ? ` to ${target} (${rev})` : ''}`],
    ['Health Status', `${s.health?.status ?? 'Unknown'}${s.health?.message ? ` (${firstLine(s.health.message, 120)})` : ''}`],
  ];
  const op = operationLine(app);
  if (op) fields.push(['Operation', op]);
  if (s.summary?.images.length) fields.push(['Images', s.summary.images.join(', ')]);
  return formatFields(fields);
}

export function formatConditions(app: Application): string {
  const conditions = app.status?.conditions ?? [];
  if (conditions.length === 0) return '';
  return formatTable(['CONDITION', 'MESSAGE', 'LAST TRANSITION'], conditions.map((c) => [c.type, c.message, c.lastTransitionTime]));
}

export function formatResources(resources: readonly ResourceStatus[], wide = false): string {
  const headers = ['GROUP', 'KIND', 'NAMESPACE', 'NAME', 'STATUS', 'HEALTH', ...(wide ? ['MESSAGE'] : [])];
  const rows = resources.map((r) => [r.group, r.kind, r.namespace, r.name, r.requiresPruning ? `${r.status} (prune)` : r.status, r.health?.status ?? '', ...(wide ? [r.health?.message ?? ''] : [])]);
  return formatTable(headers, rows);
}

/** `fjord app get`: summary, conditions (when any), resources. */
export function formatApplication(app: Application, wide = false): string {
  const parts = [formatSummary(app)];
  const conditions = formatConditions(app);
  if (conditions) parts.push(conditions);
  parts.push(formatResources(app.status?.resources ?? [], wide));
  return parts.join('\n');
}

export function formatResults(results: readonly ResourceResult[]): string {
  const rows = results.map((r) => [r.group, r.kind, r.namespace, r.name, r.status, r.hookType ?? '', r.message]);
  return formatTable(['GROUP', 'KIND', 'NAMESPACE', 'NAME', 'RESULT', 'HOOK', 'MESSAGE'], rows);
}

/** The failures of an operation, one per line, naming each resource: what a failed sync prints. */
export function failureLines(app: Application): string[] {
  const op = app.status?.operationState;
  if (!op) return [];
  const failed = (op.syncResult?.resources ?? []).filter((r) => r.status === 'SyncFailed' || r.hookPhase === 'Failed');
  return [
    `${op.phase}: ${op.message || 'no message'}`,
    ...failed.map((r) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${r.message}`),
  ];
}

/** json/yaml of any value, one name per line for `name`. */
export function formatData(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value);
}

export function isDataFormat(f: OutputFormat): f is 'json' | 'yaml' {
  return f === 'json' || f === 'yaml';
}
