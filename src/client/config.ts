// Where the CLI finds the API and its token: flags (--server, --auth-token), then the environment
// (FJORD_SERVER, FJORD_AUTH_TOKEN), then the file `fjord login` writes:
// $XDG_CONFIG_HOME/fjord/config.json (default ~/.config/fjord/config.json), mode 0600.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface SavedLogin {
  readonly server: string;
  readonly token: string;
}

export interface Connection {
  readonly server: string;
  readonly token?: string;
}

export interface ConnectionFlags {
  readonly server?: string;
  readonly authToken?: string;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'fjord', 'config.json');
}

export function readLogin(path = configPath()): SavedLogin | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: Partial<SavedLogin>;
  try {
    parsed = JSON.parse(text) as Partial<SavedLogin>;
  } catch (cause) {
    throw new Error(`${path}: not valid JSON (run \`fjord login\` again)`, { cause });
  }
  if (typeof parsed.server !== 'string' || typeof parsed.token !== 'string') throw new Error(`${path}: needs "server" and "token" (run \`fjord login\` again)`);
  return { server: parsed.server, token: parsed.token };
}

/** Writes the login, readable by its owner only (the directory too). */
export function writeLogin(login: SavedLogin, path = configPath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Removes the saved login; false when there was none. */
export function removeLogin(path = configPath()): boolean {
  try {
    readFileSync(path);
  } catch {
    return false;
  }
  rmSync(path, { force: true });
  return true;
}

/** Flags win over the environment, which wins over the saved login; the token follows its server. */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env, saved: () => SavedLogin | undefined = () => readLogin(configPath(env))): Connection {
  const server = flags.server ?? nonEmpty(env['FJORD_SERVER']);
  const token = flags.authToken ?? nonEmpty(env['FJORD_AUTH_TOKEN']);
  const login = server && token ? undefined : saved();
  const resolvedServer = server ?? login?.server;
  if (!resolvedServer) throw new UsageError('no Fjord server: pass --server URL, set FJORD_SERVER, or run `fjord login --server URL --token TOKEN`');
  const sameServer = login && sameUrl(login.server, resolvedServer);
  const resolvedToken = token ?? (sameServer ? login.token : undefined);
  return { server: resolvedServer, ...(resolvedToken ? { token: resolvedToken } : {}) };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
