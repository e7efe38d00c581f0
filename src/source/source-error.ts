// Why a Git operation failed, as data: callers (conditions, events, retries) switch on `reason`,
// humans read a message naming the redacted URL and the cause. Secrets never reach either.
import { ExecError, redactText } from '../exec/exec.js';
import { redactUrl, redactUrlsIn } from './repo-url.js';

export type SourceFailure =
  | 'invalid-url'
  | 'auth'
  | 'host-key'
  | 'tls'
  | 'unreachable'
  | 'repo-not-found'
  | 'revision-not-found'
  | 'timeout'
  | 'failed';

export class SourceError extends Error {
  constructor(message: string, readonly reason: SourceFailure, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** Patterns of git/ssh/curl stderr, first match wins (host key before auth: ssh prints both). */
const STDERR_PATTERNS: readonly (readonly [SourceFailure, RegExp])[] = [
  ['timeout', /timed out after \d+ ms/],
  ['host-key', /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known/i],
  ['tls', /SSL certificate problem|server certificate verification failed|certificate verify failed|unable to get local issuer/i],
  ['auth', /Authentication failed|could not read (Username|Password)|Permission denied \(|terminal prompts disabled|HTTP Basic: Access denied|returned error: 40[13]|invalid credentials/i],
  ['unreachable', /Could not resolve host|Connection refused|Connection timed out|Failed to connect|No route to host|Network is unreachable|ssh: connect to host|Could not read from remote repository|Connection closed by|Operation timed out/i],
  ['repo-not-found', /repository '.*' not found|does not appear to be a git repository|Repository not found|returned error: 404/i],
];

/** Lines git prints after every remote failure, which say nothing about the cause. */
const BOILERPLATE = /^(fatal: Could not read from remote repository\.|Please make sure you have the correct access rights|and the repository exists\.|Could not chdir to home directory)/;

const DESCRIPTIONS: Readonly<Record<SourceFailure, string>> = {
  'invalid-url': 'invalid repository URL',
  auth: 'authentication failed',
  'host-key': 'SSH host key verification failed',
  tls: 'TLS certificate verification failed',
  unreachable: 'host unreachable',
  'repo-not-found': 'repository not found',
  'revision-not-found': 'revision not found',
  timeout: 'timed out',
  failed: 'git failed',
};

/** The cause and the stderr line that shows it (the last meaningful line when nothing matches). */
export function classifyGitOutput(text: string): { reason: SourceFailure; line: string } {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !BOILERPLATE.test(l));
  for (const [reason, pattern] of STDERR_PATTERNS) {
    const line = lines.find((l) => pattern.test(l));
    if (line !== undefined) return { reason, line };
  }
  return { reason: 'failed', line: lines.slice(-2).join('; ') };
}

export function classifyGitStderr(text: string): SourceFailure {
  return classifyGitOutput(text).reason;
}

/**
 * Wraps a failed git call: `git fetch https://host/org/repo: authentication failed (fatal: …)`.
 * `secrets` are scrubbed from the message and from the cause's message and stderr.
 */
export function gitFailure(op: string, url: string, err: unknown, secrets: readonly string[]): SourceError {
  const scrub = (s: string): string => redactUrlsIn(redactText(s, secrets));
  const text = err instanceof ExecError ? `${err.stderr}\n${err.message}` : String(err);
  const { reason, line } = classifyGitOutput(scrub(text));
  const cause = err instanceof ExecError
    ? new ExecError(scrub(err.message), err.command, err.exitCode, scrub(err.stderr))
    : new Error(scrub(String(err)));
  return new SourceError(`git ${op} ${redactUrl(url)}: ${DESCRIPTIONS[reason]}${line ? ` (${line})` : ''}`, reason, { cause });
}
