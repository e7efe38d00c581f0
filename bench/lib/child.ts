// A controller run as a child process: its output goes to a log file, it is stopped with SIGTERM
// (then SIGKILL), and a line of its log can be awaited.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export class Child {
  private buffered = '';
  private readonly waiters = new Set<{ re: RegExp; resolve: () => void }>();
  private exited: { code: number | null; signal: string | null } | undefined;

  private constructor(readonly name: string, private readonly proc: ChildProcess, private readonly log: WriteStream) {
    const onData = (d: Buffer): void => {
      log.write(d);
      this.buffered = (this.buffered + d.toString('utf8')).slice(-20_000);
      for (const w of this.waiters) if (w.re.test(this.buffered)) { this.waiters.delete(w); w.resolve(); }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', (code, signal) => { this.exited = { code, signal }; });
  }

  static start(name: string, command: string, args: readonly string[], opts: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string }): Child {
    const log = createWriteStream(opts.logFile, { flags: 'w' });
    const proc = spawn(command, args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    return new Child(name, proc, log);
  }

  get pid(): number {
    if (this.proc.pid === undefined) throw new Error(`${this.name}: the process did not start`);
    return this.proc.pid;
  }

  /** Resolves when the log matches `re`; rejects when the process exits first or after `timeoutMs`. */
  async waitForLog(re: RegExp, timeoutMs: number): Promise<void> {
    if (re.test(this.buffered)) return;
    const state = { done: false };
    const waiter = { re, resolve: (): void => { state.done = true; } };
    this.waiters.add(waiter);
    const end = Date.now() + timeoutMs;
    while (!state.done) {
      if (this.hasExited()) throw new Error(`${this.name} exited (${JSON.stringify(this.exited)}) before logging ${re}; last output: ${this.buffered.slice(-1500)}`);
      if (Date.now() > end) throw new Error(`${this.name}: no log line matching ${re} within ${timeoutMs} ms; last output: ${this.buffered.slice(-1500)}`);
      await sleep(100);
    }
    this.waiters.delete(waiter);
  }

  private hasExited(): boolean {
    return this.exited !== undefined;
  }

  /** The last 20,000 characters of output. */
  output(): string {
    return this.buffered;
  }

  get running(): boolean {
    return !this.hasExited();
  }

  async stop(): Promise<void> {
    if (!this.hasExited()) {
      this.proc.kill('SIGTERM');
      for (let i = 0; i < 100 && !this.hasExited(); i++) await sleep(100);
      if (!this.hasExited()) this.proc.kill('SIGKILL');
      for (let i = 0; i < 50 && !this.hasExited(); i++) await sleep(100);
    }
    await new Promise<void>((resolve) => { this.log.end(resolve); });
  }
}
