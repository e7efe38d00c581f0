// Runs the real `fjord` command (bin/fjord.js on the built dist/) as a user would.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { packageRoot } from '../dev/paths.js';
import { defer } from './cleanup.js';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const FJORD_BIN = join(packageRoot(), 'bin', 'fjord.js');

export function runFjord(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 180_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FJORD_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`fjord ${args.join(' ')} timed out; stderr: ${stderr}`)); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** A long-running `fjord` process (e.g. `fjord run`) whose stderr/stdout lines a test can wait for. */
export interface FjordProcess {
  /** Every line written so far, stderr and stdout interleaved in arrival order. */
  readonly lines: string[];
  /** Resolves with the first line (seen so far or later) matching `re`; fails if the process exits first or after `timeoutMs`. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal) and how long exiting took. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; ms: number }>;
}

export function startFjord(t: TestContext, args: readonly string[], env: NodeJS.ProcessEnv = {}): FjordProcess {
  const child = spawn(process.execPath, [FJORD_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  const collect = (stream: NodeJS.ReadableStream): void => {
    let rest = '';
    stream.on('data', (b: Buffer) => {
      const parts = (rest + b.toString()).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      if (process.env['FJORD_TEST_LOG']) for (const l of parts) process.stderr.write(`[fjord] ${l}\n`);
      for (const l of listeners) l();
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { for (const l of listeners) l(); resolve(code); }));
  defer(t, () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  const tail = (): string => lines.slice(-20).join('\n');
  return {
    lines,
    waitForLine: (re, timeoutMs = 60_000) => new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = lines.find((l) => re.test(l));
        if (hit !== undefined) { done(); resolve(hit); return; }
        if (child.exitCode !== null || child.signalCode !== null) { done(); reject(new Error(`fjord ${args[0] ?? ''} exited (${String(child.exitCode ?? child.signalCode)}) before a line matched ${String(re)}; last lines:\n${tail()}`)); }
      };
      const timer = setTimeout(() => { done(); reject(new Error(`no line matched ${String(re)} within ${timeoutMs} ms; last lines:\n${tail()}`)); }, timeoutMs);
      const done = (): void => { clearTimeout(timer); listeners.delete(check); };
      listeners.add(check);
      check();
    }),
    stop: async (signal = 'SIGTERM', timeoutMs = 15_000) => {
      const started = Date.now();
      child.kill(signal);
      const timer = new Promise<'timeout'>((resolve) => { setTimeout(() => { resolve('timeout'); }, timeoutMs).unref(); });
      const code = await Promise.race([exited, timer]);
      if (code === 'timeout') throw new Error(`fjord ${args[0] ?? ''} did not exit within ${timeoutMs} ms of ${signal}; last lines:\n${tail()}`);
      return { code, ms: Date.now() - started };
    },
  };
}
