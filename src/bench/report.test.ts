// The benchmark's table: each peer's column and Fjord's ratio to it, targets judged on Fjord's figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rows } from '../../bench/lib/report.js';
import type { BenchOptions, BenchRun, ToolResult } from '../../bench/lib/runner.js';
import { markdownTable, ratio, textTable, type Row } from '../../bench/lib/stats.js';

const options = { apps: 1000, resources: 10, fluxCommits: 2, fluxDrifts: 1 } as BenchOptions;

function tool(name: string, f: { push: number[]; hook?: number[]; drift: (number | null)[]; coldS: number | null; cpuS: number; rss: number; steadyCpu: number }): ToolResult {
  return {
    name, settings: '', repositories: 2, workDir: '', baselineApiPerMinute: {},
    push: f.push, ...(f.hook ? { webhookPush: f.hook } : {}),
    drift: f.drift.map((ms) => ({ kind: 'scale' as const, object: 'Deployment/x', ms })),
    cold: { apps: 1000, wallS: f.coldS, createS: 1, readyAtEnd: f.coldS === null ? 400 : 1000, cpuS: f.cpuS, peakRssMiB: f.rss, rssMiB: f.rss, progress: [] },
    steady: { seconds: 240, cpuPercent: f.steadyCpu, rssMiB: f.rss, apiPerMinute: {}, apiPerMinuteRaw: {}, apiPerMinuteByResource: {}, gitRequestsPerMinute: 40 },
  };
}

const fjord = tool('Fjord', { push: [1000, 2000, 3000], hook: [200, 200, 300], drift: [10, 20, 30], coldS: 40, cpuS: 20, rss: 200, steadyCpu: 1.5 });
const flux = tool('Flux', { push: [30_000, 40_000], hook: [400, 400], drift: [null], coldS: null, cpuS: 2000, rss: 300, steadyCpu: 150 });
const argo = tool('Argo CD', { push: [100_000, 170_000], hook: [2000, 4000], drift: [500, 1000, null], coldS: 400, cpuS: 800, rss: 800, steadyCpu: 30 });

const byMetric = (table: readonly Row[], prefix: string): Row => {
  const r = table.find((x) => x.metric.startsWith(prefix));
  assert.ok(r, `a row "${prefix}…"`);
  return r;
};

test('with Argo CD measured, every latency and scale row has its figure and Fjord/Argo CD ratio', () => {
  const run: BenchRun = { fjord, flux, argocd: argo, errors: [] };
  const table = rows({ ...options, argocd: true, argoCommits: 2, argoDrifts: 3 }, run);
  const polling = byMetric(table, 'push-to-applied, polling only p50');
  assert.match(polling.metric, /\(n=3; Flux n=2, Argo CD n=2\)/);
  assert.deepEqual([polling.fjord, polling.flux, polling.ratio, polling.argo, polling.argoRatio], ['2000 ms', '30000 ms', '0.07×', '100000 ms', '0.02×']);
  const webhook = byMetric(table, 'push-to-applied, webhook p50');
  assert.deepEqual([webhook.fjord, webhook.argo, webhook.argoRatio, webhook.met], ['200 ms', '2000 ms', '0.10×', true]);
  const drift = byMetric(table, 'drift-to-reverted max');
  assert.deepEqual([drift.flux, drift.argo], ['timeout (1)', 'timeout (1)']);
  const cold = byMetric(table, 'cold start 1000 × 10');
  assert.deepEqual([cold.fjord, cold.flux, cold.argo, cold.argoRatio], ['40.0 s', 'timeout (400/1000)', '400.0 s', '0.10×']);
  assert.equal(byMetric(table, '  controller CPU seconds').argoRatio, '0.03×');
  assert.equal(byMetric(table, 'steady state').argo, '30.00%');

  const header = textTable(table).split('\n')[0] ?? '';
  assert.match(header, /Fjord\s+Flux\s+Fjord\/Flux\s+Argo CD\s+Fjord\/Argo CD\s+target\s+result/);
  assert.match(markdownTable(table).split('\n')[0] ?? '', /^\| metric \| Fjord \| Flux \| Fjord\/Flux \| Argo CD \| Fjord\/Argo CD \| target \| result \|$/);
});

test('without Argo CD the table keeps its Fjord and Flux columns only', () => {
  const table = rows(options, { fjord, flux, errors: [] });
  assert.ok(table.every((r) => (r.argo ?? '') === '' && (r.argoRatio ?? '') === ''));
  const md = markdownTable(table).split('\n');
  assert.equal(md[0], '| metric | Fjord | Flux | Fjord/Flux | target | result |');
  assert.ok(md.slice(2).every((l) => l.split(' | ').length === 6), 'every line has six cells');
});

test('a ratio far below 1 keeps one significant digit instead of printing 0.00×', () => {
  assert.equal(ratio(14, 5347), '0.003×');
  assert.equal(ratio(133, 322), '0.41×');
  assert.equal(ratio(0, 5), '0.00×');
  assert.equal(ratio(1, null), '');
});
