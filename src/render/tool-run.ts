// Running kustomize and helm for a render: a fresh scratch directory per run (removed afterwards), an
// environment that reads none of the user's configuration, a timeout, and failures turned into a
// RenderError naming the app path and the tool's own message.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, ExecError } from '../exec/exec.js';
import { RenderError } from './types.js';

export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;

/** Runs `fn` with a new directory under the OS temp dir, and removes it whatever happens. */
export async function withScratchDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Only PATH from the caller; home, config, cache and temp all point into the scratch directory. */
export function isolatedEnv(scratch: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: scratch,
    TMPDIR: scratch,
    XDG_CONFIG_HOME: join(scratch, '.config'),
    XDG_CACHE_HOME: join(scratch, '.cache'),
    XDG_DATA_HOME: join(scratch, '.local', 'share'),
    KUBECONFIG: join(scratch, 'no-kubeconfig'),
    ...extra,
  };
}

export interface ToolRun {
  /** How the failing run is named in messages, e.g. '<kustomize apps/prod>'. */
  readonly label: string;
  /** The command as shown in messages, e.g. 'kubectl kustomize'. */
  readonly shownCommand: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** Paths to show differently in the tool's messages, in order: [from, to]. */
  readonly rewrites: readonly (readonly [string, string])[];
}

/** Rewrites for a directory: 'dir/x' shows as 'x' and 'dir' itself as `shownAs`. */
export function dirRewrites(dir: string, shownAs: string): [string, string][] {
  return [[`${dir}/`, ''], [dir, shownAs]];
}

// A path is only rewritten where it starts and (unless it ends in '/') where it ends, not inside a longer path.
function rewrite(message: string, from: string, to: string): string {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const end = from.endsWith('/') ? '' : '(?![\\w.-])';
  return message.replace(new RegExp(`(?<![\\w./-])${escaped}${end}`, 'g'), () => to);
}

function tidy(message: string, rewrites: ToolRun['rewrites']): string {
  return rewrites.reduce((out, [from, to]) => rewrite(out, from, to), message.trim());
}

function failure(run: ToolRun, e: unknown): RenderError {
  const why = e instanceof ExecError ? e.message.slice(e.command.length).trim() : String(e);
  return new RenderError(`${run.label}: ${run.shownCommand} ${tidy(why, run.rewrites)}`, run.label, { cause: e });
}

/** Runs the tool and resolves with its stdout; stderr (warnings) is dropped on success. */
export async function runTool(run: ToolRun): Promise<string> {
  try {
    const { stdout } = await exec(run.binary, run.args, { env: run.env, timeoutMs: run.timeoutMs });
    return stdout;
  } catch (e) {
    throw failure(run, e);
  }
}
