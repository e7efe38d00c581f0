import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExecError } from '../exec/exec.js';
import { classifyGitStderr, gitFailure, SourceError } from './source-error.js';

test('classifyGitStderr names the cause of the usual git, ssh and curl failures', () => {
  const cases: readonly (readonly [string, string])[] = [
    ["fatal: Authentication failed for 'https://host/x.git/'", 'auth'],
    ["fatal: could not read Username for 'https://host': terminal prompts disabled", 'auth'],
    ['git@host: Permission denied (publickey).\nfatal: Could not read from remote repository.', 'auth'],
    ['Host key verification failed.\nfatal: Could not read from remote repository.', 'host-key'],
    ['No ED25519 host key is known for 127.0.0.1 and you have requested strict checking.', 'host-key'],
    ["fatal: unable to access 'https://h/x/': SSL certificate problem: unable to get local issuer certificate", 'tls'],
    ["fatal: unable to access 'https://h/x/': Failed to connect to h port 443: Connection refused", 'unreachable'],
    ["fatal: unable to access 'https://nope/x/': Could not resolve host: nope", 'unreachable'],
    ['ssh: connect to host 127.0.0.1 port 1: Connection refused', 'unreachable'],
    ["fatal: repository 'http://h/x.git/' not found", 'repo-not-found'],
    ["fatal: 'org/y.git' does not appear to be a git repository\nfatal: Could not read from remote repository.", 'repo-not-found'],
    ['git timed out after 100 ms', 'timeout'],
    ['something else', 'failed'],
  ];
  for (const [stderr, reason] of cases) assert.equal(classifyGitStderr(stderr), reason, stderr);
});

test('gitFailure names op, redacted URL and cause, and scrubs secrets from message and cause', () => {
  const stderr = "fatal: Authentication failed for 'https://me:hunter2@host/x.git/' (token hunter2)\n";
  const err = gitFailure('fetch', 'https://me:hunter2@host/x.git', new ExecError(`git exited with code 128: ${stderr}`, 'git', 128, stderr), ['hunter2']);
  assert.ok(err instanceof SourceError);
  assert.equal(err.reason, 'auth');
  assert.equal(err.message, "git fetch https://host/x.git: authentication failed (fatal: Authentication failed for 'https://host/x.git/' (token ***))");
  assert.ok(!err.message.includes('hunter2'), err.message);
  const cause = err.cause as ExecError;
  assert.ok(!cause.message.includes('hunter2') && !cause.stderr.includes('hunter2'));
});
