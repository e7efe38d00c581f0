// The fault injection suite in its full form (`npm run faults`): the tests of src/reliability with the
// large settings (50 kills of the controller, Git down 60 s, 5,000 webhooks during 1,000 commits, etcd
// paused 10 s), on two fresh local clusters (scripts/run-tests.ts), then the figures they recorded.
//   node --import tsx scripts/fault-suite.ts [--kills N] [--webhooks N] [--commits N] [--git-down S] [--etcd-pause S] [--seed N]
//     [--only kill-controller,git-outage,...]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const TESTS = ['kill-controller', 'apiserver-restart', 'git-outage', 'webhook-flood'].map((n) => `src/reliability/${n}.int.test.ts`);

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const raw = at >= 0 ? process.argv[at + 1] : undefined;
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} ${raw ?? ''}: not a whole number`);
  return value;
}

function chosenTests(): string[] {
  const at = process.argv.indexOf('--only');
  if (at < 0) return TESTS;
  const names = (process.argv[at + 1] ?? '').split(',');
  const chosen = TESTS.filter((f) => names.some((n) => f.includes(`/${n}.`)));
  if (chosen.length !== names.length) throw new Error(`--only ${names.join(',')}: known tests are ${TESTS.join(', ')}`);
  return chosen;
}

function runTests(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/run-tests.ts', ...chosenTests()], { cwd: root, env, stdio: 'inherit' });
    child.on('close', (code) => { resolve(code ?? 1); });
  });
}

type Figures = Record<string, unknown> & { test: string };

function num(f: Figures | undefined, key: string): number {
  const v = f?.[key];
  return typeof v === 'number' ? v : 0;
}

/** Cases of the bad-input corpus (testdata/bad-input, one folder per case). */
function badInputs(): number {
  const dir = join(root, 'testdata', 'bad-input');
  return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).length : 0;
}

function summary(figures: Figures[], code: number): string {
  const by = (name: string): Figures | undefined => figures.find((f) => f.test === name);
  const kill = by('kill-controller');
  const git = by('git-outage');
  const cp = by('control-plane');
  const flood = by('webhook-flood');
  const lost = figures.reduce((n, f) => n + num(f, 'objectsLost'), 0) + ((kill?.['convergence'] as { objectsLost?: number } | undefined)?.objectsLost ?? 0);
  const faults = num(kill, 'kills') + num(git, 'faults') + num(cp, 'faults') + num(flood, 'webhooks') + num(flood, 'commits');
  return [
    '',
    'Fault suite figures',
    `  result                  ${code === 0 ? 'all tests passed' : `FAILED (exit ${code})`}`,
    `  kills survived          ${kill ? `${num(kill, 'kills')} (${num(kill, 'killsMidSync')} during a running sync; ${num(kill, 'commits')} commits, ${num(kill, 'hookRuns')} hook runs, duplicate hooks: ${JSON.stringify(kill['duplicateHooks'])}; seed ${num(kill, 'seed')}; ${num(kill, 'seconds')} s)` : 'not recorded'}`,
    `  control plane           ${cp ? `1 kube-apiserver restart, etcd paused ${num(cp, 'etcdPauseSeconds')} s; log lines ${num(cp, 'restartLogLines')} / ${num(cp, 'pauseLogLines')}` : 'not recorded'}`,
    `  git outage              ${git ? `down ${num(git, 'downSeconds')} s, then ${num(git, 'slowMs')} ms per packet (${num(git, 'delayedChunks')} delayed), ${num(git, 'apps')} apps` : 'not recorded'}`,
    `  webhook flood           ${flood ? `${num(flood, 'webhooks')} webhooks during ${num(flood, 'commits')} commits in ${num(flood, 'floodSeconds')} s; max queue ${num(flood, 'maxQueueDepth')}; ${num(flood, 'gitRequests')} Git requests; heap MB ${JSON.stringify(flood['heapMB'])}, RSS MB ${JSON.stringify(flood['rssMB'])}; resets retried ${num(flood, 'connectionResetsRetried')}` : 'not recorded'}`,
    `  faults injected         ${faults} (kills + outages + webhook requests + commits)`,
    `  bad inputs tried        ${badInputs()} cases in testdata/bad-input (their own tests)`,
    `  objects lost            ${lost}`,
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'fjord-faults-'));
  const report = join(dir, 'figures.jsonl');
  try {
    const env = {
      ...process.env,
      FJORD_FAULTS_REPORT: report,
      FJORD_FAULTS_KILLS: String(option('kills', 50)),
      FJORD_FAULTS_WEBHOOKS: String(option('webhooks', 5000)),
      FJORD_FAULTS_COMMITS: String(option('commits', 1000)),
      FJORD_FAULTS_GIT_DOWN_S: String(option('git-down', 60)),
      FJORD_FAULTS_ETCD_PAUSE_S: String(option('etcd-pause', 10)),
      FJORD_FAULTS_SEED: String(option('seed', Date.now() % 1_000_000)),
    };
    const code = await runTests(env);
    const figures = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Figures) : [];
    process.stdout.write(summary(figures, code));
    return code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
