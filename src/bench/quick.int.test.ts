// The benchmark's quick mode, Fjord only (5 apps × 3 resources, 3 samples each) on a cluster of its
// own: the run completes and its figures are plausible (not the targets; this machine is shared).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { plots, rows } from '../../bench/lib/report.js';
import { runBench } from '../../bench/lib/runner.js';
import { textTable } from '../../bench/lib/stats.js';
import { clusterDown } from '../dev/cluster/cluster.js';
import { defer } from '../testing/cleanup.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('npm run bench --quick (Fjord only) measures every scenario with plausible figures', { timeout: 180_000 }, async (t) => {
  const clusterName = `bq-${process.pid}`;
  const logDir = mkdtempSync(join(tmpdir(), 'fjord-bench-quick-'));
  defer(t, () => { rmSync(logDir, { recursive: true, force: true }); });
  defer(t, () => clusterDown(clusterName));
  const o = {
    apps: 5, resources: 3, commits: 3, drifts: 3, steadySeconds: 5, floor: true, floorParallel: 2,
    fjord: true, flux: false, fluxCommits: 0, fluxDrifts: 0, fluxSettings: { sourceInterval: '1m', kustomizationInterval: '10m' },
    clusterName, freshClusterPerPhase: false, cpuProfile: false, coldTimeoutMs: 90_000, apiApps: 30, apiRequests: 5, root: ROOT, logDir, log: (): void => undefined,
  };
  const run = await runBench(o);

  assert.deepEqual(run.errors, []);
  assert.equal(run.floor?.objects, 15, 'the floor applies 5 × 3 objects');
  const fl = run.floor;
  assert.ok(fl.healthyS !== undefined && fl.healthyS >= fl.wallS, `the floor's 5 Deployments became Healthy (at ${String(fl.healthyS)} s, stored at ${fl.wallS} s)`);
  assert.ok((fl.controlPlaneCpuS ?? 0) > 0 && (fl.apiRequests?.['APPLY configmaps'] ?? 0) >= 5, 'the floor reports control-plane CPU and its API requests');
  const f = run.fjord;
  assert.ok(f, 'Fjord was measured');
  assert.equal(f.cold.readyAtEnd, 5, 'all 5 Applications ended Synced and Healthy');
  assert.ok(f.cold.wallS !== null && f.cold.wallS > 0 && f.cold.wallS < 90, `cold start ${String(f.cold.wallS)} s`);
  assert.ok(f.cold.cpuS > 0, 'the controller used CPU during the cold start');
  assert.ok((f.cold.controlPlaneCpuS ?? 0) > 0 && (f.cold.apiRequests?.['POST applications'] ?? 0) >= 5, 'the cold start reports control-plane CPU and its API requests');
  assert.ok(f.cold.peakRssMiB > 20 && f.cold.peakRssMiB < 2000, `peak RSS ${f.cold.peakRssMiB} MiB`);
  assert.equal(f.push.length, 3);
  for (const ms of f.push) assert.ok(ms !== null && ms > 0 && ms < 60_000, `push-to-applied ${String(ms)} ms`);
  assert.equal(f.webhookPush?.length, 3, 'the webhook variant was measured');
  for (const ms of f.webhookPush) assert.ok(ms !== null && ms > 0 && ms < 60_000, `push-to-applied via the webhook ${String(ms)} ms`);
  assert.deepEqual(f.drift.map((d) => d.kind), ['scale', 'edit', 'delete']);
  for (const d of f.drift) assert.ok(d.ms !== null && d.ms > 0 && d.ms < 30_000, `${d.kind} reverted after ${String(d.ms)} ms`);
  assert.ok(f.steady.cpuPercent >= 0 && f.steady.cpuPercent < 100, `steady CPU ${f.steady.cpuPercent}%`);
  assert.ok(f.steady.gitRequestsPerMinute > 0, 'Fjord polls the Git server in steady state');

  assert.equal(run.api?.apps, 30, 'the API list phase created its 30 Applications');
  assert.deepEqual(run.api.rows.map((r) => r.label.split(' ')[0]), ['first', 'a', 'filtered:', 'search']);
  const [first, middle, filtered, search] = run.api.rows;
  assert.ok(first?.total !== undefined && first.total >= 30 && first.items === first.total, `the first page lists every Application (${first?.items} of ${first?.total})`);
  assert.ok(middle?.items !== undefined && middle.items > 0 && middle.items < first.total, `a page from the middle holds the rest (${middle?.items})`);
  assert.ok(filtered?.total !== undefined && filtered.total >= 1 && filtered.total < first.total, `the selector narrows the list (${filtered?.total})`);
  assert.ok(search?.total !== undefined && search.total >= 1 && search.total < first.total, `the search narrows the list (${search?.total})`);
  for (const r of run.api.rows) assert.ok(r.p95Ms > 0 && r.p95Ms < 10_000 && r.p50Ms <= r.p95Ms && r.p95Ms <= r.maxMs, `${r.label}: p50 ${r.p50Ms}, p95 ${r.p95Ms}, max ${r.maxMs} ms`);

  const table = rows(o, run);
  const text = textTable(table);
  assert.match(text, /push-to-applied, webhook p50 \(n=3\)/);
  assert.match(text, /push-to-applied, polling only p50 \(n=3\)/);
  assert.match(text, /drift-to-reverted p50 \(n=3\)/);
  assert.match(text, /API lists 30 Applications, one page, p95 \(n=5\) +\d+ ms/);
  for (const r of table) if (r.target && r.met !== undefined) assert.match(text, new RegExp(`${r.metric.trim().replace(/[()+×,.]/g, '.')}.*(met|MISS)`));
  const pictures = plots(run, logDir);
  assert.deepEqual(pictures.map((p) => p.file).sort(), ['cold-start.png', 'fjord-latency.png']);
  for (const p of pictures) assert.deepEqual([...readFileSync(join(logDir, p.file)).subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
});
