// Percentiles and the printed comparison table (targets beside measurements; a miss prints as MISS).

/** Latency samples in ms; null is a sample that never reached the expected state within its timeout. */
export type Samples = readonly (number | null)[];

export interface Distribution {
  readonly n: number;
  readonly timeouts: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

/** Nearest-rank percentile; a timeout counts as +Infinity and is reported as null. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return v === undefined || !Number.isFinite(v) ? null : Math.round(v);
}

export function distribution(samples: Samples): Distribution {
  const values = samples.map((s) => s ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  return {
    n: samples.length, timeouts: samples.filter((s) => s === null).length,
    p50: percentile(values, 50), p95: percentile(values, 95), max: percentile(values, 100),
  };
}

/** One line of the table: what was measured, the value, the target and whether it was met. */
export interface Row {
  readonly metric: string;
  readonly fjord: string;
  readonly flux?: string;
  readonly ratio?: string;
  readonly argo?: string;
  /** Fjord / Argo CD. */
  readonly argoRatio?: string;
  readonly target?: string;
  /** true = met, false = MISS, undefined = no target or not measured. */
  readonly met?: boolean;
}

export const ms = (v: number | null | undefined): string => (v === null ? 'timeout' : v === undefined ? 'not measured' : `${v} ms`);
export const sec = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? 'not measured' : `${v.toFixed(digits)} s`);
export const num = (v: number | null | undefined, unit = '', digits = 1): string => (v === null || v === undefined || !Number.isFinite(v) ? 'not measured' : `${v.toFixed(digits)}${unit}`);

/** a / b as "0.42×", or an empty string when either side is missing. */
export function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return '';
  const r = a / b;
  return `${r >= 0.01 || r === 0 ? r.toFixed(2) : r.toPrecision(1)}×`; // 0.003×, not 0.00×
}

export function verdict(met: boolean | undefined): string {
  return met === undefined ? '' : met ? 'met' : 'MISS';
}

/** The columns of a row; Argo CD's only when some row has an Argo CD figure. */
function columns(rows: readonly Row[]): { header: string[]; cells: (r: Row, result: string) => string[] } {
  const argo = rows.some((r) => (r.argo ?? '') !== '');
  return {
    header: ['metric', 'Fjord', 'Flux', 'Fjord/Flux', ...(argo ? ['Argo CD', 'Fjord/Argo CD'] : []), 'target', 'result'],
    cells: (r, result) => [r.metric, r.fjord, r.flux ?? '', r.ratio ?? '', ...(argo ? [r.argo ?? '', r.argoRatio ?? ''] : []), r.target ?? '', result],
  };
}

/** The table as aligned plain text (for the terminal). */
export function textTable(rows: readonly Row[]): string {
  const { header, cells } = columns(rows);
  const lines = rows.map((r) => cells(r, verdict(r.met)));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cols: readonly string[]): string => cols.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}

/** The table as Markdown (for docs/benchmarks.md). */
export function markdownTable(rows: readonly Row[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const { header, cells } = columns(rows);
  const out = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const r of rows) out.push(`| ${cells(r, r.met === false ? '**MISS**' : verdict(r.met)).map(esc).join(' | ')} |`);
  return out.join('\n');
}
