// Runs the whole test suite with node:test. Unit tests need nothing; integration tests
// (*.int.test.ts) get two real local clusters started once for the whole run, and everything is torn
// down afterwards, also when tests fail or the run is interrupted.
//   node --import tsx scripts/run-tests.ts [--unit] [file…]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { clusterDown, clusterUp } from '../src/dev/cluster/cluster.js';

const root = join(import.meta.dirname, '..');

function findTests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return findTests(p);
    return name.endsWith('.test.ts') ? [relative(root, p)] : [];
  }).sort();
}

function runNodeTest(files: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=3', ...files];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    child.on('close', (code) => { resolve(code ?? 1); });
  });
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const unitOnly = argv.includes('--unit');
  const chosen = argv.filter((a) => !a.startsWith('--'));
  const all = chosen.length > 0 ? chosen : findTests(join(root, 'src'));
  const files = unitOnly ? all.filter((f) => !f.endsWith('.int.test.ts')) : all;
  const needsClusters = files.some((f) => f.endsWith('.int.test.ts'));
  const names = [`test-${process.pid}-a`, `test-${process.pid}-b`];
  const log = (m: string): void => { process.stderr.write(`[clusters] ${m}\n`); };
  let tornDown = false;
  const teardown = async (): Promise<void> => {
    if (tornDown || !needsClusters) return;
    tornDown = true;
    await Promise.all(names.map((n) => clusterDown(n, log)));
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => { void teardown().finally(() => process.exit(130)); });
  }
  try {
    const env = { ...process.env };
    if (needsClusters) {
      const started = Date.now();
      const [a, b] = await Promise.all(names.map((name) => clusterUp({ name, log })));
      log(`two clusters ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      env['FJORD_TEST_KUBECONFIG'] = a?.kubeconfig;
      env['FJORD_TEST_KUBECONFIG_2'] = b?.kubeconfig;
    }
    return await runNodeTest(files, env);
  } finally {
    await teardown();
  }
}

process.exitCode = await main();
