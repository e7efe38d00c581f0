// Long-running child processes that outlive the command that started them (a dev cluster keeps
// running after `fjord dev cluster up` returns). Stopped by pid, and only when the pid still runs the
// program we started: its command line must contain a marker (the state folder), so a recycled pid
// is never killed.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DaemonSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export function startDaemon(spec: DaemonSpec): number {
  const fd = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      detached: true, stdio: ['ignore', fd, fd], env: spec.env ?? process.env, ...(spec.cwd ? { cwd: spec.cwd } : {}),
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** True when `pid` is alive and its command line contains `marker`. */
export function isRunning(pid: number, marker: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(marker)) return false;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. No-op for a pid that is not ours. */
export async function stopDaemon(pid: number, marker: string, graceMs = 5000): Promise<void> {
  if (!isRunning(pid, marker)) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid, marker)) return;
    await sleep(50);
  }
  try { process.kill(pid, 'SIGKILL'); } catch { return; }
  while (isRunning(pid, marker)) await sleep(20);
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
