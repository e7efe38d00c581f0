// Every git invocation of the source layer goes through here, on top of the exec seam: a clean
// environment (no system/global config, no prompts, own HOME), an allow-list of transports, and
// hardening `-c` flags in front of every command.
import { exec } from '../exec/exec.js';

export interface GitRunnerOptions {
  /** HOME for git and ssh: a folder of the cache, never the user's. */
  readonly home: string;
  readonly allowFileUrls: boolean;
  readonly timeoutMs: number;
  /** Absolute path that GIT_TRACE output (argv of git and of what it runs) is appended to. */
  readonly traceFile?: string;
}

export interface GitCall {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Strings to replace with *** in errors. */
  readonly redact?: readonly string[];
}

export class GitRunner {
  constructor(private readonly opts: GitRunnerOptions) {}

  /** The `-c` flags every command starts with. */
  hardeningArgs(): string[] {
    const file = this.opts.allowFileUrls ? 'always' : 'never';
    return [
      '-c', 'protocol.ext.allow=never', '-c', `protocol.file.allow=${file}`,
      '-c', 'credential.helper=', '-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false',
      '-c', 'core.symlinks=true', '-c', 'core.autocrlf=false', '-c', 'gc.autoDetach=false',
    ];
  }

  environment(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    const allowed = this.opts.allowFileUrls ? 'http:https:ssh:file' : 'http:https:ssh';
    return {
      ...(this.opts.traceFile !== undefined ? { GIT_TRACE: this.opts.traceFile } : {}),
      ...extra,
      PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: this.opts.home,
      LC_ALL: 'C',
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_ALLOW_PROTOCOL: allowed,
    };
  }

  /** Runs `git <hardening> args…` and returns its stdout; rejects with exec's ExecError. */
  async run(args: readonly string[], call: GitCall): Promise<string> {
    const result = await exec('git', [...this.hardeningArgs(), ...args], {
      cwd: call.cwd,
      env: this.environment(call.env),
      timeoutMs: this.opts.timeoutMs,
      redact: call.redact ?? [],
    });
    return result.stdout;
  }
}
