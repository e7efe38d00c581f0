import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirRewrites, isolatedEnv, runTool, withScratchDir, type ToolRun } from './tool-run.js';
import { RenderError } from './types.js';

function shRun(script: string, overrides: Partial<ToolRun> = {}): ToolRun {
  return { label: '<tool apps/web>', shownCommand: 'tool build', binary: 'sh', args: ['-c', script], env: { PATH: process.env['PATH'] ?? '' }, timeoutMs: 5000, rewrites: [], ...overrides };
}

test('the scratch directory is removed after the run, also when it fails', async () => {
  let seen = '';
  await assert.rejects(withScratchDir('fjord-tool-run-', (dir) => { seen = dir; return Promise.reject(new Error('boom')); }), /boom/);
  assert.ok(seen !== '' && !existsSync(seen));
});

test('the tool environment carries PATH only, with home, config and temp in the scratch directory', () => {
  process.env['FJORD_TEST_LEAK'] = 'secret';
  try {
    const env = isolatedEnv('/scratch', { HELM_DATA_HOME: '/scratch/helm' });
    assert.equal(env['FJORD_TEST_LEAK'], undefined);
    assert.equal(env['HOME'], '/scratch');
    assert.equal(env['TMPDIR'], '/scratch');
    assert.equal(env['KUBECONFIG'], '/scratch/no-kubeconfig');
    assert.equal(env['HELM_DATA_HOME'], '/scratch/helm');
  } finally {
    delete process.env['FJORD_TEST_LEAK'];
  }
});

test('a failing tool becomes a RenderError naming the label and the tool\'s message, with paths shown from the repository', async () => {
  const run = shRun('echo "error: /repo/root/apps/web/x.yaml: bad; see /repo/root and /repo/rooted/y" >&2; exit 2', { rewrites: dirRewrites('/repo/root', '.') });
  const err = await runTool(run).catch((e: unknown) => e);
  assert.ok(err instanceof RenderError);
  assert.equal(err.file, '<tool apps/web>');
  assert.equal(err.message, '<tool apps/web>: tool build exited with code 2: error: apps/web/x.yaml: bad; see . and /repo/rooted/y');
});

test('a tool past its timeout is reported as such', async () => {
  await assert.rejects(runTool(shRun('exec sleep 5', { timeoutMs: 100 })), /^RenderError: <tool apps\/web>: tool build timed out after 100 ms$/);
});
