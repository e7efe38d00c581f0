// Builds (first time only) the Go tools Fjord runs locally, through scripts/build-go.sh.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { binaryPath, hasBinaries, packageRoot } from './paths.js';

export const CONTROL_PLANE_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'kubectl'] as const;

/** Makes sure the named binaries exist, building their Go modules when they do not. Returns their paths. */
export async function ensureTools(names: readonly string[]): Promise<Record<string, string>> {
  if (!hasBinaries(names)) {
    if (process.env['FJORD_BIN_DIR']) throw new Error(`FJORD_BIN_DIR=${process.env['FJORD_BIN_DIR']} lacks one of: ${names.join(', ')}`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn('bash', [join(packageRoot(), 'scripts', 'build-go.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`scripts/build-go.sh failed with exit code ${String(code)}`));
      });
    });
    if (!hasBinaries(names)) throw new Error(`scripts/build-go.sh ran but did not produce: ${names.filter((n) => !hasBinaries([n])).join(', ')}`);
  }
  return Object.fromEntries(names.map((n) => [n, binaryPath(n)]));
}
