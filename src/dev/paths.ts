// Where Fjord finds its own files: the package root (for scripts and tool builds), the folder of
// locally built binaries, and the folder holding local clusters' state.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json: two levels above this file in both src/ and dist/. */
export function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function binDir(): string {
  return process.env['FJORD_BIN_DIR'] ?? join(packageRoot(), '.kube-bin', 'bin');
}

export function stateRoot(): string {
  const xdg = process.env['XDG_STATE_HOME'];
  return process.env['FJORD_STATE_DIR'] ?? join(xdg ?? join(homedir(), '.local', 'state'), 'fjord');
}

export function binaryPath(name: string): string {
  return join(binDir(), name);
}

export function hasBinaries(names: readonly string[]): boolean {
  return names.every((n) => existsSync(binaryPath(n)));
}
