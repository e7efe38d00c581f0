// `npm run bench`: Fjord beside the kubectl floor and Flux on a real local cluster and Git server
// (issue 6). Prints the table of targets beside measurements, writes bench/results/<timestamp>.json
// and PNG plots next to it; with --docs also docs/benchmarks.md and docs/bench/*.png.
//   npm run bench -- [--quick] [--apps N] [--resources M] [--commits N] [--drifts N] [--steady S]
//                    [--replicas N] [--no-flux] [--no-floor] [--flux-commits N] [--flux-drifts N]
//                    [--flux-source-interval 1m] [--flux-kustomization-interval 10m] [--api-apps 5000 (0: skip)]
//                    [--api-requests 200] [--argocd] [--argo-commits N] [--argo-drifts N] [--cpu-prof] [--docs]
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './lib/proc.js';
import { plots, rows } from './lib/report.js';
import { runBench, type BenchOptions, type BenchRun } from './lib/runner.js';
import { markdownTable, textTable } from './lib/stats.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const FLAGS = ['--report', '--fjord-run-args', '--replicas', '--apps', '--resources', '--commits', '--drifts', '--steady', '--flux-commits', '--flux-drifts', '--floor-parallel', '--flux-source-interval', '--flux-kustomization-interval', '--cold-timeout', '--api-apps', '--api-requests', '--argo-commits', '--argo-drifts'] as const;
const SWITCHES = ['--quick', '--no-flux', '--no-fjord', '--no-floor', '--argocd', '--cpu-prof', '--docs'] as const;

function usage(problem: string): Error {
  return new Error(`${problem}\nusage: npm run bench -- [--quick] ${FLAGS.map((f) => `[${f} X]`).join(' ')} [--no-flux] [--no-floor] [--argocd] [--cpu-prof] [--docs]`);
}

export function parseArgs(argv: readonly string[], log: (l: string) => void): BenchOptions & { docs: boolean; report?: string } {
  const values = new Map<string, string>();
  const on = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if ((SWITCHES as readonly string[]).includes(a)) on.add(a);
    else if ((FLAGS as readonly string[]).includes(a) && argv[i + 1] !== undefined) values.set(a, argv[++i] ?? '');
    else throw usage(`unknown or incomplete option "${a}"`);
  }
  const quick = on.has('--quick');
  const int = (flag: string, full: number, q: number, min = 0, max = 100_000): number => {
    const raw = values.get(flag);
    const n = raw === undefined ? (quick ? q : full) : Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw usage(`${flag} ${raw ?? ''}: an integer from ${min} to ${max}`);
    return n;
  };
  return {
    apps: int('--apps', 1000, 20, 1), resources: int('--resources', 10, 5, 1, 200), commits: int('--commits', 30, 5), drifts: int('--drifts', 30, 3),
    steadySeconds: int('--steady', 120, 15, 5, 3600), floor: !on.has('--no-floor'), floorParallel: int('--floor-parallel', 8, 4, 1, 64),
    flux: !on.has('--no-flux'), fjord: !on.has('--no-fjord'), fluxCommits: int('--flux-commits', 10, 2), fluxDrifts: int('--flux-drifts', 3, 1),
    argocd: on.has('--argocd'), argoCommits: int('--argo-commits', 5, 2), argoDrifts: int('--argo-drifts', 5, 2),
    fluxSettings: { sourceInterval: values.get('--flux-source-interval') ?? '1m', kustomizationInterval: values.get('--flux-kustomization-interval') ?? '10m' },
    replicas: int('--replicas', 1, 1, 1, 8), clusterName: 'bench', freshClusterPerPhase: true, cpuProfile: on.has('--cpu-prof'), coldTimeoutMs: int('--cold-timeout', 1200, 300, 10) * 1000,
    apiApps: int('--api-apps', 5000, 100, 0), apiRequests: int('--api-requests', 200, 20, 1),
    ...(values.has('--fjord-run-args') ? { fjordRunArgs: (values.get('--fjord-run-args') ?? '').split(' ').filter((a) => a !== '') } : {}),
    root: ROOT, logDir: '', log, docs: on.has('--docs'), ...(values.has('--report') ? { report: values.get('--report') ?? '' } : {}),
  };
}

const README_START = '<!-- bench:start (written by npm run bench -- --docs) -->';
const README_END = '<!-- bench:end -->';

/** Replaces the README's benchmark section (between its markers) with the latest table and plots. */
function updateReadme(o: BenchOptions, p: Pick<Page, 'table' | 'pictures' | 'm' | 'stamp'> & { sources: string[] }): void {
  const file = join(ROOT, 'README.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md: the markers ${README_START} … ${README_END} are missing; add them where the table belongs`);
  const section = [
    README_START,
    `Latest \`npm run bench\` (${p.stamp} UTC, ${o.apps} apps × ${o.resources} resources) on ${p.m.nproc} CPUs (${p.m.cpuModel}), ${p.m.memoryGiB} GiB RAM,`,
    `Node ${p.m.node}; the control plane shares those CPUs. How each figure is taken, the findings and the misses: [docs/benchmarks.md](docs/benchmarks.md).`,
    ...(p.sources.length > 1 ? ['', `Combined from separate runs: ${p.sources.join('; ')}.`] : []),
    '', p.table, '',
    ...p.pictures.map((pic) => `![${pic.caption}](docs/bench/${pic.file})`),
    README_END,
  ].join('\n');
  writeFileSync(file, text.slice(0, start) + section + text.slice(end + README_END.length));
}

function codeVersion(): { head: string; modified: string[] } {
  const run = (args: string[]): string => { try { return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { return ''; } };
  return { head: run(['rev-parse', 'HEAD']), modified: run(['status', '--porcelain', '--', 'src']).split('\n').filter((l) => l !== '') };
}

/** bench/benchmarks-notes.md (findings written by hand about the latest runs), appended to the page when present. */
function notes(): string {
  const file = join(ROOT, 'bench', 'benchmarks-notes.md');
  return existsSync(file) ? `\n${readFileSync(file, 'utf8')}` : '';
}

interface Page { hasFlux: boolean; hasArgo: boolean; table: string; pictures: { file: string; caption: string }[]; m: ReturnType<typeof machine>; stamp: string; settings: string[]; errors: string[] }

function docsPage(o: BenchOptions, p: Page): string {
  const { table, pictures, m, stamp, settings, errors } = p;
  return `# Benchmarks

Produced by \`npm run bench\` (bench/run.ts; issue 6) on ${stamp}: ${o.apps} apps × ${o.resources} resources,
${o.commits} commits and ${o.drifts} manual changes for Fjord${p.hasFlux ? `, ${o.fluxCommits} and ${o.fluxDrifts} for Flux` : ' (Flux: not in this run, see the findings below)'}${p.hasArgo ? `, ${o.argoCommits ?? 0} and ${o.argoDrifts ?? 0} for Argo CD` : ''}, ${o.steadySeconds} s of steady state.
Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.platform}, Node ${m.node}. The control plane
(etcd, kube-apiserver, controller-manager, scheduler, KWOK) runs on the same CPUs, and the machine is
shared with other work, so absolute figures are noisy.

How each figure is taken:
- Each tool gets a fresh local cluster (\`fjord dev cluster\`) and the same repositories on the local Git
  server: one with N directories of M resources (a Deployment scaled to 0, a ServiceAccount, ConfigMaps),
  one with the latency app (10 ConfigMaps + 10 Deployments) that scenarios 1 and 2 change.
- Push-to-applied: from \`git push\` returning to the new ConfigMap value arriving on the benchmark's own watch.
  With polling, each push starts at a random moment within the tool's poll interval (as real pushes do);
  the webhook variant posts to the tool's webhook right after the push (Fjord: its generic
  \`POST /api/webhook\`; Flux: a generic Receiver of notification-controller for the GitRepository;
  Argo CD: a GitHub \`push\` event to its API server's \`/api/webhook\`).
  The latency scenarios run first on each tool's fresh cluster, with the latency app alone; the cold
  start of the N apps and the steady state with them follow.
  Drift-to-reverted: from a manual scale/edit/delete returning to the object back at Git's state.
- Cold start: from the first create of N Applications (Flux: one GitRepository per repository and N Kustomizations; Argo CD: N Applications as for Fjord) to all
  of them applied and healthy at the commit. CPU seconds and peak RSS (VmHWM) are read from /proc of the
  controller processes (Fjord: \`fjord run\` as built, bin/fjord.js on dist/; Flux: its three controllers summed;
  Argo CD: application controller, repo-server, API server and redis summed).
- Floor: the same objects with parallel \`kubectl apply --server-side\` processes, no GitOps, timed until
  all are stored and until every Deployment is Healthy by Fjord's health rules (watched). The cold start
  is measured to applied and healthy, so its ratio uses the second.
- A tool that has not finished the cold start within the limit (\`--cold-timeout\`, default 20 min) has
  its unready apps suspended (Flux: \`spec.suspend\`; Argo CD has no such switch, so its backlog
  stays) before the steady state; the table then shows how many were ready.
- Control-plane CPU: etcd, kube-apiserver, controller-manager, scheduler and KWOK, from /proc.
- API list: N Applications (5,000) created on a cluster of their own, Fjord's API server alone (no
  controller), and sequential \`GET /api/v1/applications?limit=100\` requests: the first page, a page
  in the middle, a label selector and a name search (\`npm run bench:api\` runs this phase alone).
- API requests: \`apiserver_request_total\` from kube-apiserver's /metrics, minus the idle cluster's own rate
  measured just before the tool started. Git requests: HTTP requests served by the local Git server.
${settings.map((s) => `- ${s}`).join('\n')}

${table}
${errors.length ? `\nErrors:\n${errors.map((e) => `- ${e}`).join('\n')}\n` : ''}
${pictures.map((p) => `![${p.caption}](bench/${p.file})\n\n*${p.caption}.*\n`).join('\n')}${notes()}`;
}

interface Saved { startedAt: string; options: BenchOptions; loadAverage: { start: number[]; end: number[] }; run: BenchRun }

/** Earlier results (comma-separated JSON files) merged: the floor, the API list, Fjord and Flux each from the first file that has it. */
function loadReports(files: string): { o: BenchOptions; run: BenchRun; startedAt: string; sources: string[] } {
  const saved = files.split(',').map((f) => ({ f, s: JSON.parse(readFileSync(f, 'utf8')) as Saved }));
  const first = saved[0]?.s;
  if (!first) throw usage('--report: give one or more results files, comma-separated');
  const floor = saved.find((x) => x.s.run.floor)?.s.run.floor;
  const api = saved.find((x) => x.s.run.api)?.s.run.api;
  const fjord = saved.find((x) => x.s.run.fjord)?.s.run.fjord;
  const fluxRun = saved.find((x) => x.s.run.flux)?.s.run.flux;
  const argoRun = saved.find((x) => x.s.run.argocd)?.s.run.argocd;
  const run: BenchRun = { ...(floor ? { floor } : {}), ...(api ? { api } : {}), ...(fjord ? { fjord } : {}), ...(fluxRun ? { flux: fluxRun } : {}), ...(argoRun ? { argocd: argoRun } : {}), errors: saved.flatMap((x) => x.s.run.errors) };
  const flux = saved.find((x) => x.s.run.flux !== undefined)?.s.options;
  const argo = saved.find((x) => x.s.run.argocd !== undefined)?.s.options;
  const o = { ...first.options, ...(flux ? { fluxCommits: flux.fluxCommits, fluxDrifts: flux.fluxDrifts } : {}), ...(argo ? { argocd: true, argoCommits: argo.argoCommits, argoDrifts: argo.argoDrifts } : {}), log: (): void => undefined };
  const parts = (x: { s: Saved }): string => (['floor', 'api', 'fjord', 'flux', 'argocd'] as const)
    .filter((k) => x.s.run[k] !== undefined && run[k] === x.s.run[k]).map((k) => ({ floor: 'the floor', api: 'the API list', fjord: 'Fjord', flux: 'Flux', argocd: 'Argo CD' })[k]).join(', ');
  const code = (x: { s: Saved }): string => ((x.s as { code?: { head?: string } }).code?.head ?? '').slice(0, 7);
  return { o, run, startedAt: first.startedAt, sources: saved.map((x) => `${parts(x) || 'nothing'} from ${basename(x.f)} (code ${code(x) || 'unknown'}, load average ${x.s.loadAverage.start.map((v) => v.toFixed(1)).join(' ')} at its start)`) };
}

async function main(): Promise<void> {
  const log = (l: string): void => { process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${l}\n`); };
  const parsed = parseArgs(process.argv.slice(2), log);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = join(ROOT, 'bench', 'results', stamp);
  mkdirSync(resultsDir, { recursive: true });
  let o: BenchOptions = { ...parsed, logDir: resultsDir };
  let startedAt = new Date().toISOString();
  let run: BenchRun;
  let sources: string[] = [];
  if (parsed.report !== undefined) {
    ({ o, run, startedAt, sources } = loadReports(parsed.report));
  } else {
    const load = { start: loadavg(), end: [] as number[] };
    run = await runBench(o);
    load.end = loadavg();
    const { log: _log, ...options } = o;
    const json = join(ROOT, 'bench', 'results', `${stamp}.json`);
    writeFileSync(json, `${JSON.stringify({ startedAt, finishedAt: new Date().toISOString(), options, machine: machine(), loadAverage: load, code: codeVersion(), run }, null, 2)}\n`);
    process.stdout.write(`\nresults: ${json}\nplots and logs: ${resultsDir}\n`);
  }
  const table = rows(o, run);
  process.stdout.write(`\n${textTable(table)}\n`);
  for (const e of run.errors) process.stdout.write(`ERROR: ${e}\n`);
  const pictures = plots(run, resultsDir);
  if (parsed.docs) {
    mkdirSync(join(ROOT, 'docs', 'bench'), { recursive: true });
    for (const p of pictures) copyFileSync(join(resultsDir, p.file), join(ROOT, 'docs', 'bench', p.file));
    const tools = [run.fjord, run.flux, run.argocd].filter((t) => t !== undefined);
    const settings = [...tools.map((t) => `${t.name}: ${t.settings}.`), ...tools.flatMap((t) => (t.notes ?? []).map((n) => `${t.name}: ${n}.`)), ...(sources.length > 1 ? [`Combined from separate runs: ${sources.join('; ')}.`] : [])].filter((x) => x !== '');
    writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), docsPage(o, { hasFlux: run.flux !== undefined, hasArgo: run.argocd !== undefined, table: markdownTable(table), pictures, m: machine(), stamp: startedAt.slice(0, 16).replace('T', ' '), settings, errors: run.errors }));
    updateReadme(o, { table: markdownTable(table), pictures, m: machine(), stamp: startedAt.slice(0, 16).replace('T', ' '), sources });
    process.stdout.write('docs/benchmarks.md, docs/bench/*.png and the table in README.md updated\n');
  }
  if (run.errors.length > 0) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
