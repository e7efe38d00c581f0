// What every `fjord app …` command shares: the connection flags, the output flag, and one place that
// turns outcomes into exit codes (0 ok, 1 failure, 2 usage) and errors into one line on stderr.
import { Command, CommanderError, Option } from 'commander';
import { FjordApiClient } from '../../client/api-client.js';
import { resolveConnection, UsageError } from '../../client/config.js';
import { parseDuration } from '../../controller/config.js';
import { describeError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface ConnectionOptions {
  readonly server?: string;
  readonly authToken?: string;
}

export type OutputFormat = 'table' | 'json' | 'yaml' | 'wide' | 'name';

/** A subcommand with --server/--auth-token, whose usage errors exit with 2. */
export function appSubcommand(name: string, description: string): Command {
  const cmd = new Command(name)
    .description(description)
    .option('--server <url>', 'Fjord API URL (env FJORD_SERVER; default: the one `fjord login` saved)')
    .option('--auth-token <token>', 'bearer token (env FJORD_AUTH_TOKEN; default: the one `fjord login` saved)')
    .showHelpAfterError();
  return usageExits(cmd);
}

/** Commander's own parse errors (unknown option, missing argument, bad choice) exit with 2. */
export function usageExits(cmd: Command): Command {
  return cmd.exitOverride((err) => {
    if (err.exitCode === 0) throw err;
    throw new CommanderError(EXIT_USAGE, err.code, err.message);
  });
}

export function outputOption(formats: readonly OutputFormat[]): Option {
  return new Option('-o, --output <format>', 'output format').choices([...formats]).default('table');
}

/** A client for the resolved connection, closed after `fn`. */
export async function withClient<T>(opts: ConnectionOptions, fn: (client: FjordApiClient) => Promise<T>): Promise<T> {
  const conn = resolveConnection(opts);
  const client = new FjordApiClient(conn.token ? { server: conn.server, token: conn.token } : { server: conn.server });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** A failure whose message was already shown in full (e.g. a failed sync's results): exit 1, message on stderr. */
export class FailedError extends Error {
  override readonly name = 'FailedError';
  constructor(message: string, readonly exitCode = EXIT_FAILURE) {
    super(message);
  }
}

/**
 * Runs a command body: a returned number is the exit code; an error is printed as `fjord: error: …`
 * and exits with 2 for usage mistakes, else 1. The exit travels as a CommanderError so that main()
 * returns it without printing again.
 */
export async function runAction(fn: () => Promise<number | undefined>): Promise<void> {
  let code: number;
  try {
    code = (await fn()) ?? EXIT_OK;
  } catch (e) {
    process.stderr.write(`fjord: error: ${describeError(e)}\n`);
    code = e instanceof UsageError ? EXIT_USAGE : e instanceof FailedError ? e.exitCode : EXIT_FAILURE;
  }
  if (code !== EXIT_OK) throw new CommanderError(code, 'fjord.exit', '');
}

/** `5m`, `90s`, `1h30m`, a plain number of seconds; 0 means no limit (Infinity). */
export function parseTimeout(value: string, flag = '--timeout'): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(`${flag} ${value}: not a duration (e.g. 90s, 5m, 1h)`);
  return ms === 0 ? Number.POSITIVE_INFINITY : ms;
}

export { UsageError };
