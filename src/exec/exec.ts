// The one seam through which Fjord runs external programs (git, helm, kubectl, sshd, …):
// a fixed argv and no shell, a timeout, bounded output, and secrets only through env or files.
import { spawn } from 'node:child_process';

export interface ExecOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the process after this many milliseconds (default 60 s). */
  readonly timeoutMs?: number;
  readonly input?: string | Buffer;
  /** Largest stdout kept, in bytes (default 64 MiB); more is an error, not a silent cut. */
  readonly maxOutputBytes?: number;
  /** Strings to replace with *** in any error message (tokens, passwords). */
  readonly redact?: readonly string[];
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
}

export class ExecError extends Error {
  constructor(
    message: string,
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  if (signal) return `was killed by ${signal}`;
  return `exited with code ${String(code)}`;
}

/** Runs `command args…` and resolves with its output, or rejects with an ExecError naming the program and its stderr. */
export function exec(command: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const maxBytes = opts.maxOutputBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let timedOut = false;
    let overflow = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > maxBytes) { overflow = true; child.kill('SIGKILL'); return; }
      out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => { if (err.length < 1024) err.push(b); });
    child.on('error', (e) => { clearTimeout(timer); reject(new ExecError(`${command}: ${e.message}`, command, null, '')); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = redactText(Buffer.concat(err).toString('utf8'), opts.redact);
      if (code === 0 && !overflow) { resolve({ stdout, stderr }); return; }
      const why = overflow ? `printed more than ${maxBytes} bytes` : describeExit(code, signal, timedOut, timeoutMs);
      const detail = stderr.trim().split('\n').slice(-20).join('\n');
      reject(new ExecError(`${command} ${why}${detail ? `: ${detail}` : ''}`, command, code, stderr));
    });
    child.stdin.on('error', () => { /* the process may exit before reading its input */ });
    child.stdin.end(opts.input ?? '');
  });
}
