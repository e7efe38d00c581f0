import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec, ExecError } from './exec.js';

test('exec returns stdout and passes input without a shell', async () => {
  const r = await exec('cat', [], { input: 'hello $(whoami)' });
  assert.equal(r.stdout, 'hello $(whoami)');
});

test('a failing program rejects with its name, exit code and stderr, secrets redacted', async () => {
  const err = await exec('sh', ['-c', 'echo "token s3cr3t refused" >&2; exit 3'], { redact: ['s3cr3t'] }).catch((e: unknown) => e);
  assert.ok(err instanceof ExecError);
  assert.equal(err.exitCode, 3);
  assert.match(err.message, /^sh exited with code 3: token \*\*\* refused/);
  assert.doesNotMatch(err.message, /s3cr3t/);
});

test('a program that runs too long is killed and the error says so', async () => {
  const err = await exec('sleep', ['5'], { timeoutMs: 100 }).catch((e: unknown) => e);
  assert.ok(err instanceof ExecError);
  assert.match(err.message, /timed out after 100 ms/);
});

test('a missing program is a clear error, not a crash', async () => {
  const err = await exec('fjord-no-such-program', []).catch((e: unknown) => e);
  assert.ok(err instanceof ExecError);
  assert.match(err.message, /fjord-no-such-program: spawn fjord-no-such-program ENOENT/);
});
