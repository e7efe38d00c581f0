// The results: the table of targets beside measurements, the JSON file and the PNG plots.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cdf, COLORS, linePlot, type Series } from './png.js';
import { total } from './proc.js';
import type { BenchOptions, BenchRun, ToolResult } from './runner.js';
import { distribution, ms, num, ratio, sec, type Row } from './stats.js';

/** The issue's targets. */
export const TARGETS = {
  webhookP50Ms: 1000, pollingP50Ms: 5000, driftP50Ms: 1000, coldStartS: 60, floorRatio: 1.5, fluxRatio: 1 / 3,
  rssMB: 300, steadyCpuPercent: 2, fullScaleObjects: 10_000, apiListApps: 5000, apiListP95Ms: 100,
} as const;

const pushDist = (t?: ToolResult): ReturnType<typeof distribution> | undefined => (t ? distribution(t.push) : undefined);
const hookDist = (t?: ToolResult): ReturnType<typeof distribution> | undefined => (t?.webhookPush ? distribution(t.webhookPush) : undefined);
const driftDist = (t?: ToolResult): ReturnType<typeof distribution> | undefined => (t ? distribution(t.drift.map((d) => d.ms)) : undefined);
const pollingVerbs = (r: Record<string, number>): number => (r['GET'] ?? 0) + (r['LIST'] ?? 0);

type Dist = ReturnType<typeof distribution> | undefined;

/** The peers' columns of a latency row: Flux's and Argo CD's value and Fjord's ratio to each. */
function peers(f: Dist, x: Dist, a: Dist, pick: (d: NonNullable<Dist>) => number | null, show: (d: NonNullable<Dist>) => string): Partial<Row> {
  return {
    flux: x ? show(x) : '', ratio: f && x ? ratio(pick(f), pick(x)) : '',
    argo: a ? show(a) : '', argoRatio: f && a ? ratio(pick(f), pick(a)) : '',
  };
}

function latencyRows(label: string, f: Dist, x: Dist, a: Dist, targetMs: number): Row[] {
  const p50Met = f && f.n > 0 ? f.p50 !== null && f.p50 <= targetMs : undefined;
  const counts = [x ? `Flux n=${x.n}` : '', a ? `Argo CD n=${a.n}` : ''].filter((c) => c !== '');
  return [
    { metric: `${label} p50 (n=${f?.n ?? 0}${counts.length ? `; ${counts.join(', ')}` : ''})`, fjord: ms(f?.p50), ...peers(f, x, a, (d) => d.p50, (d) => ms(d.p50)), target: `≤ ${targetMs} ms`, ...(p50Met === undefined ? {} : { met: p50Met }) },
    { metric: `${label} p95`, fjord: ms(f?.p95), ...peers(f, x, a, (d) => d.p95, (d) => ms(d.p95)) },
    { metric: `${label} max (timeouts)`, fjord: `${ms(f?.max)} (${f?.timeouts ?? 0})`, ...peers(f, x, a, () => null, (d) => `${ms(d.max)} (${d.timeouts})`) },
  ];
}

function scaleRows(o: BenchOptions, run: BenchRun): Row[] {
  const f = run.fjord;
  const x = run.flux;
  const a = run.argocd;
  const ac = a?.cold.wallS;
  const full = o.apps * o.resources >= TARGETS.fullScaleObjects;
  const atFull = (met: boolean | undefined): { met?: boolean } => (full && met !== undefined ? { met } : {});
  const note = full ? '' : ' (target is for 1,000 × 10)';
  const fc = f?.cold.wallS;
  const xc = x?.cold.wallS;
  const floorS = run.floor?.wallS;
  const floorHealthyS = run.floor?.healthyS;
  const rows: Row[] = [
    { metric: `cold start ${o.apps} × ${o.resources}: all applied and healthy`, fjord: f ? sec(fc ?? null) : 'not measured', flux: x ? (xc === null ? `timeout (${x.cold.readyAtEnd}/${o.apps})` : sec(xc)) : '', ratio: ratio(fc, xc), argo: a ? (ac === null ? `timeout (${a.cold.readyAtEnd}/${o.apps})` : sec(ac)) : '', argoRatio: ratio(fc, ac), target: `≤ ${TARGETS.coldStartS} s${note}`, ...atFull(f ? fc !== null && fc !== undefined && fc <= TARGETS.coldStartS : undefined) },
    { metric: `  floor: kubectl apply --server-side, ${run.floor?.parallel ?? 0} parallel, until all stored`, fjord: sec(floorS) },
    { metric: '  floor: the same until every Deployment is Healthy', fjord: sec(floorHealthyS) },
    { metric: '  cold start / floor (applied and healthy, as the cold start is measured)', fjord: ratio(fc, floorHealthyS), flux: ratio(xc, floorHealthyS), argo: ratio(ac, floorHealthyS), target: `≤ ${TARGETS.floorRatio}×`, ...(fc !== null && fc !== undefined && floorHealthyS ? { met: fc / floorHealthyS <= TARGETS.floorRatio } : {}) },
    { metric: '  cold start / floor (stored only)', fjord: ratio(fc, floorS), flux: ratio(xc, floorS), argo: ratio(ac, floorS) },
    { metric: '  cold start Fjord/Flux', fjord: ratio(fc, xc), target: '≤ 0.33× (≥ 3× faster)', ...(fc !== null && fc !== undefined && xc ? { met: fc / xc <= TARGETS.fluxRatio } : x && xc === null && fc ? { met: true } : {}) },
    { metric: '  control plane CPU seconds meanwhile (floor: until all healthy)', fjord: num(f?.cold.controlPlaneCpuS, ' s'), flux: num(x?.cold.controlPlaneCpuS, ' s'), argo: a ? num(a.cold.controlPlaneCpuS, ' s') : '', target: run.floor?.controlPlaneCpuS !== undefined ? `floor: ${run.floor.controlPlaneCpuS.toFixed(1)} s` : '' },
    { metric: '  controller CPU seconds during cold start', fjord: num(f?.cold.cpuS, ' s'), flux: num(x?.cold.cpuS, ' s'), ratio: ratio(f?.cold.cpuS, x?.cold.cpuS), argo: a ? num(a.cold.cpuS, ' s') : '', argoRatio: ratio(f?.cold.cpuS, a?.cold.cpuS) },
    { metric: `  peak RSS (${o.apps * o.resources} objects)`, fjord: num(f?.cold.peakRssMiB, ' MiB', 0), flux: num(x?.cold.peakRssMiB, ' MiB', 0), ratio: ratio(f?.cold.peakRssMiB, x?.cold.peakRssMiB), argo: a ? num(a.cold.peakRssMiB, ' MiB', 0) : '', argoRatio: ratio(f?.cold.peakRssMiB, a?.cold.peakRssMiB), target: `≤ ${TARGETS.rssMB} MB${note}`, ...atFull(f ? f.cold.peakRssMiB * 1.048576 <= TARGETS.rssMB : undefined) },
    { metric: `steady state (${f?.steady.seconds ?? x?.steady.seconds ?? a?.steady.seconds ?? 0} s${f && x && f.steady.seconds !== x.steady.seconds ? `; Flux ${x.steady.seconds} s` : ''}${f && a && f.steady.seconds !== a.steady.seconds ? `; Argo CD ${a.steady.seconds} s` : ''}): controller CPU`, fjord: num(f?.steady.cpuPercent, '%', 2), flux: num(x?.steady.cpuPercent, '%', 2), ratio: ratio(f?.steady.cpuPercent, x?.steady.cpuPercent), argo: a ? num(a.steady.cpuPercent, '%', 2) : '', argoRatio: ratio(f?.steady.cpuPercent, a?.steady.cpuPercent), target: `≤ ${TARGETS.steadyCpuPercent}% of a core`, ...(f ? { met: f.steady.cpuPercent <= TARGETS.steadyCpuPercent } : {}) },
    { metric: '  RSS', fjord: num(f?.steady.rssMiB, ' MiB', 0), flux: num(x?.steady.rssMiB, ' MiB', 0), ratio: ratio(f?.steady.rssMiB, x?.steady.rssMiB), argo: a ? num(a.steady.rssMiB, ' MiB', 0) : '', argoRatio: ratio(f?.steady.rssMiB, a?.steady.rssMiB) },
    { metric: '  API GET+LIST per minute over the idle cluster', fjord: num(f ? pollingVerbs(f.steady.apiPerMinute) : undefined, '', 0), flux: num(x ? pollingVerbs(x.steady.apiPerMinute) : undefined, '', 0), argo: a ? num(pollingVerbs(a.steady.apiPerMinute), '', 0) : '', target: '0 (watches only)', ...(f ? { met: pollingVerbs(f.steady.apiPerMinute) <= 2 } : {}) },
    { metric: '  API requests per minute over the idle cluster (all verbs)', fjord: num(f ? total(f.steady.apiPerMinute) : undefined, '', 0), flux: num(x ? total(x.steady.apiPerMinute) : undefined, '', 0), argo: a ? num(total(a.steady.apiPerMinute), '', 0) : '' },
    { metric: `  git HTTP requests per minute (${f?.repositories ?? 2} repositories)`, fjord: num(f?.steady.gitRequestsPerMinute, '', 0), flux: num(x?.steady.gitRequestsPerMinute, '', 0), argo: a ? num(a.steady.gitRequestsPerMinute, '', 0) : '', target: f ? `≤ ${gitAllowance(f)} (one ls-remote = ≤ 2 requests, per repo per 3 s poll; ${Math.floor(f.steady.seconds / 3) + 1} polls fit in ${f.steady.seconds} s)` : '', ...(f ? { met: f.steady.gitRequestsPerMinute <= gitAllowance(f) } : {}) },
    ...apiRows(run),
  ];
  return rows;
}

function apiRows(run: BenchRun): Row[] {
  const a = run.api;
  if (!a) return [{ metric: 'API lists 5,000 Applications, one page, p95', fjord: 'not measured', target: '≤ 100 ms' }];
  const first = a.rows[0];
  const full = a.apps >= TARGETS.apiListApps;
  return [
    { metric: `API lists ${a.apps.toLocaleString('en')} Applications, one page, p95 (n=${a.requests})`, fjord: first ? `${first.p95Ms} ms` : 'not measured', target: `≤ ${TARGETS.apiListP95Ms} ms${full ? '' : ' (target is for 5,000)'}`, ...(first && full ? { met: first.p95Ms <= TARGETS.apiListP95Ms } : {}) },
    ...a.rows.map((r) => ({ metric: `  ${r.label}${r.items !== undefined && r.total !== undefined ? `: ${r.items} of ${r.total}` : ''}, p50 / p95`, fjord: `${r.p50Ms} / ${r.p95Ms} ms` })),
  ];
}

/** Git requests per minute allowed by one ls-remote (2 HTTP requests) per repository per 3 s poll, for the polls that fit in the window. */
function gitAllowance(f: { repositories: number; steady: { seconds: number } }): number {
  const polls = Math.floor(f.steady.seconds / 3) + 1;
  return Math.ceil((2 * f.repositories * polls * 60) / Math.max(1, f.steady.seconds));
}

export function rows(o: BenchOptions, run: BenchRun): Row[] {
  return [
    ...latencyRows('push-to-applied, webhook', hookDist(run.fjord), hookDist(run.flux), hookDist(run.argocd), TARGETS.webhookP50Ms),
    ...latencyRows('push-to-applied, polling only', pushDist(run.fjord), pushDist(run.flux), pushDist(run.argocd), TARGETS.pollingP50Ms),
    ...latencyRows('drift-to-reverted', driftDist(run.fjord), driftDist(run.flux), driftDist(run.argocd), TARGETS.driftP50Ms),
    ...scaleRows(o, run),
  ];
}

/** Writes the PNG plots into `dir`; returns their file names with a caption each. */
export function plots(run: BenchRun, dir: string): { file: string; caption: string }[] {
  const out: { file: string; caption: string }[] = [];
  const write = (file: string, caption: string, series: Series[], x: { xMax: number; verticals?: Series[] }): void => {
    writeFileSync(join(dir, file), linePlot(series, { xMax: x.xMax, yMax: 1, yPercent: true, verticals: x.verticals ?? [] }));
    out.push({ file, caption });
  };
  const maxOf = (xs: readonly (number | null)[]): number => Math.max(1, ...xs.filter((v): v is number => v !== null)) / 1000;
  const tools = [run.fjord, run.flux, run.argocd].filter((t): t is ToolResult => t !== undefined);
  const color = (t: ToolResult): typeof COLORS.fjord => (t.name === 'Fjord' ? COLORS.fjord : t.name === 'Flux' ? COLORS.flux : COLORS.argocd);
  if (run.fjord) {
    const f = run.fjord;
    const d = f.drift.map((s) => s.ms);
    write('fjord-latency.png', 'Fjord: share of samples done (y) within x seconds; blue push-to-applied (polling), purple drift-to-reverted', [cdf(f.push, COLORS.fjord), cdf(d, COLORS.extra)], { xMax: maxOf([...f.push, ...d]) * 1.05 });
  }
  const legend = (ts: readonly ToolResult[]): string => ts.map((t) => `${t.name === 'Fjord' ? 'blue' : t.name === 'Flux' ? 'orange' : 'red'} ${t.name}`).join(', ');
  if (tools.length > 1) {
    write('push-to-applied.png', `push-to-applied, polling only: share of commits applied (y) within x seconds; ${legend(tools)}`, tools.map((t) => cdf(t.push, color(t))), { xMax: maxOf(tools.flatMap((t) => t.push)) * 1.05 });
    const hooked = tools.filter((t) => t.webhookPush !== undefined);
    if (hooked.length > 1) write('push-to-applied-webhook.png', `push-to-applied through the webhook: share of commits applied (y) within x seconds; ${legend(hooked)}`, hooked.map((t) => cdf(t.webhookPush ?? [], color(t))), { xMax: maxOf(hooked.flatMap((t) => t.webhookPush ?? [])) * 1.05 });
    write('drift-to-reverted.png', `drift-to-reverted: share of manual changes reverted (y) within x seconds; ${legend(tools)} (a curve that stops short of 100% timed out)`, tools.map((t) => cdf(t.drift.map((s) => s.ms), color(t))), { xMax: Math.max(maxOf(tools.flatMap((t) => t.drift.map((s) => s.ms))), 1) * 1.05 });
  }
  if (tools.length > 0) {
    const xMax = Math.max(run.floor?.healthyS ?? run.floor?.wallS ?? 0, ...tools.map((t) => t.cold.progress[t.cold.progress.length - 1]?.[0] ?? 0)) * 1.05;
    const floorLine: Series[] = run.floor ? [run.floor.wallS, ...(run.floor.healthyS !== undefined ? [run.floor.healthyS] : [])].map((x) => ({ color: COLORS.floor, points: [[x, 0]] })) : [];
    write('cold-start.png', `cold start: share of apps applied and healthy (y) after x seconds; ${legend(tools)}, green lines: the kubectl floor, all stored and all healthy`, tools.map((t) => ({ color: color(t), points: t.cold.progress })), { xMax, verticals: floorLine });
  }
  return out;
}
