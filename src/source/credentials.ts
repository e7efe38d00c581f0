// Repository credentials and how they reach git without ever being in argv, a URL or a log line:
// HTTP(S) user/password through a GIT_ASKPASS script that reads them from the environment, the SSH
// key, known_hosts and extra CA through 0600 files in a private temp folder removed after each call.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { ParsedRepoUrl } from './repo-url.js';
import { SourceError } from './source-error.js';

export interface RepoCredentials {
  username?: string;
  /** Password or token. */
  password?: string;
  /** PEM/OpenSSH private key text. */
  sshPrivateKey?: string;
  /** known_hosts text; when absent for ssh, refuse unless insecure. */
  knownHosts?: string;
  /** Skip TLS verification / SSH host key checking. */
  insecure?: boolean;
  /** Extra CA (PEM) trusted for https, in addition to the system's. */
  caPem?: string;
}

/** What one git invocation needs: environment, strings to scrub from its errors, files to remove. */
export interface GitAuth {
  readonly env: Readonly<Record<string, string>>;
  readonly redact: readonly string[];
  dispose(): Promise<void>;
}

export const ASKPASS_USERNAME_ENV = 'FJORD_GIT_USERNAME';
export const ASKPASS_PASSWORD_ENV = 'FJORD_GIT_PASSWORD';

const ASKPASS_SCRIPT = `#!/bin/sh
# Fjord's GIT_ASKPASS helper: answers git's prompts from the environment, never from argv.
case "$1" in
  Username*) printf '%s\\n' "$${ASKPASS_USERNAME_ENV}" ;;
  *) printf '%s\\n' "$${ASKPASS_PASSWORD_ENV}" ;;
esac
`;

/** Writes the askpass helper (mode 0700) at `path`; idempotent. */
export function writeAskpassScript(path: string): void {
  writeFileSync(path, ASKPASS_SCRIPT, { mode: 0o700 });
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function withNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

async function sshEnv(dir: string, creds: RepoCredentials): Promise<Record<string, string>> {
  const opts = ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'ConnectTimeout=20',
    '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'UpdateHostKeys=no', '-o', 'ControlPath=none'];
  if (creds.insecure === true) {
    opts.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null');
  } else {
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, withNewline(creds.knownHosts ?? ''), { mode: 0o600 });
    opts.push('-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile="${knownHosts}"`);
  }
  if (creds.sshPrivateKey !== undefined && creds.sshPrivateKey !== '') {
    const key = join(dir, 'id');
    await writeFile(key, withNewline(creds.sshPrivateKey), { mode: 0o600 });
    opts.push('-i', key);
  } else {
    opts.push('-o', 'IdentityFile=none');
  }
  return { GIT_SSH_COMMAND: ['ssh', ...opts].map(shellQuote).join(' '), GIT_SSH_VARIANT: 'ssh' };
}

async function httpsEnv(dir: string, creds: RepoCredentials): Promise<Record<string, string>> {
  if (creds.insecure === true) return { GIT_SSL_NO_VERIFY: '1' };
  if (creds.caPem === undefined || creds.caPem === '') return {};
  const bundle = join(dir, 'ca.pem');
  await writeFile(bundle, [creds.caPem, ...rootCertificates].map(withNewline).join(''), { mode: 0o600 });
  return { GIT_SSL_CAINFO: bundle };
}

function basicAuthEnv(askpass: string, username: string, password: string): Record<string, string> {
  if (username === '' && password === '') return {};
  return { GIT_ASKPASS: askpass, [ASKPASS_USERNAME_ENV]: username, [ASKPASS_PASSWORD_ENV]: password };
}

function secretsOf(creds: RepoCredentials, username: string, password: string): string[] {
  const secrets = [password, creds.password ?? '', creds.sshPrivateKey?.trim() ?? ''];
  // A user name without a password is usually a token (https://<token>@host/...).
  if (password === '' && username.length >= 8) secrets.push(username);
  return [...new Set(secrets.filter((s) => s.length > 0))];
}

/**
 * Materializes `creds` for one git call against `url`: files in a fresh 0700 folder under `tmpRoot`,
 * the environment pointing at them, and the secrets to scrub. User and password in an http(s) URL are
 * used when `creds` has none. Call `dispose()` when the git call is over.
 */
export async function prepareGitAuth(url: ParsedRepoUrl, creds: RepoCredentials, paths: { askpass: string; tmpRoot: string }): Promise<GitAuth> {
  if (url.kind === 'ssh' && creds.insecure !== true && (creds.knownHosts ?? '').trim() === '') {
    throw new SourceError('ssh repositories need knownHosts (or insecure: true)', 'host-key');
  }
  const dir = await mkdtemp(join(paths.tmpRoot, 'auth-'));
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    if (url.kind === 'ssh') return { env: await sshEnv(dir, creds), redact: secretsOf(creds, '', ''), dispose };
    const username = creds.username ?? url.username;
    const password = creds.password ?? url.password;
    let env: Record<string, string> = {};
    if (url.kind === 'http' || url.kind === 'https') {
      env = { ...(await httpsEnv(dir, creds)), ...basicAuthEnv(paths.askpass, username, password) };
    }
    return { env, redact: secretsOf(creds, username, password), dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
