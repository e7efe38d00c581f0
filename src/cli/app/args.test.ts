// How `fjord app …` reads its arguments: resource references, durations, wait goals, history ids,
// delete confirmation, and the exit code 2 for every usage mistake (before anything is sent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from '../../client/types.js';
import { main } from '../main.js';
import { parseTimeout, UsageError } from './command.js';
import { confirmed, parseBool } from './delete.js';
import { rollbackTarget, parseHistoryId } from './rollback.js';
import { parseResourceRef, syncRequest } from './sync.js';
import { goalsReached, waitGoals } from './wait.js';

test('--resource takes GROUP:KIND:NAME or GROUP:KIND:NAMESPACE/NAME, with an empty group for core kinds', () => {
  assert.deepEqual(parseResourceRef('apps:Deployment:api'), { group: 'apps', kind: 'Deployment', name: 'api' });
  assert.deepEqual(parseResourceRef(':ConfigMap:payments/settings'), { group: '', kind: 'ConfigMap', namespace: 'payments', name: 'settings' });
  for (const bad of ['Deployment:api', 'apps:Deployment:', 'apps::api', 'a:b:c:d', 'apps:Deployment:ns/']) {
    assert.throws(() => parseResourceRef(bad), (e: unknown) => e instanceof UsageError && e.message.includes(bad), bad);
  }
  assert.deepEqual(syncRequest({ timeout: '5m', prune: true, dryRun: true, revision: 'abc', resource: ['apps:Deployment:api'], syncOption: ['Replace=true'] }), {
    revision: 'abc', prune: true, dryRun: true, resources: [{ group: 'apps', kind: 'Deployment', name: 'api' }], syncOptions: { items: ['Replace=true'] },
  });
  assert.deepEqual(syncRequest({ timeout: '5m' }), {});
});

test('--timeout accepts durations; 0 means no limit; nonsense is a usage error', () => {
  assert.equal(parseTimeout('5m'), 300_000);
  assert.equal(parseTimeout('1m30s'), 90_000);
  assert.equal(parseTimeout('45'), 45_000);
  assert.equal(parseTimeout('0'), Number.POSITIVE_INFINITY);
  assert.throws(() => parseTimeout('soon'), /--timeout soon: not a duration/);
});

test('wait goals: none chosen means sync, health and operation; each goal checks its own field', () => {
  assert.deepEqual(waitGoals({}), { sync: true, health: true, operation: true });
  assert.deepEqual(waitGoals({ health: true }), { sync: false, health: true, operation: false });
  const a = (sync: string, health: string, phase?: string): Application => ({
    metadata: { name: 'a' }, spec: { destination: {} },
    status: { sync: { status: sync as 'Synced' }, health: { status: health as 'Healthy' }, ...(phase ? { operationState: { phase } as never } : {}) },
  });
  assert.equal(goalsReached(waitGoals({ health: true }))(a('OutOfSync', 'Healthy')), true);
  assert.equal(goalsReached(waitGoals({ health: true, sync: true }))(a('OutOfSync', 'Healthy')), false);
  assert.equal(goalsReached(waitGoals({}))(a('Synced', 'Healthy', 'Running')), false);
  assert.equal(goalsReached(waitGoals({}))(a('Synced', 'Healthy', 'Succeeded')), true);
  assert.equal(goalsReached(waitGoals({}))(undefined), false);
});

test('rollback picks the given history id or the one before the latest, and names the ids it has', () => {
  const app: Application = { metadata: { name: 'web' }, spec: { destination: {} }, status: { history: [3, 4, 5].map((id) => ({ id, revision: `r${id}`, deployedAt: '', deployStartedAt: '', source: {}, initiatedBy: {} })) } };
  assert.equal(rollbackTarget(app, undefined), 4);
  assert.equal(rollbackTarget(app, 3), 3);
  assert.throws(() => rollbackTarget(app, 9), /application web has no history entry 9 \(ids: 3, 4, 5\)/);
  assert.throws(() => rollbackTarget({ ...app, status: { history: [] } }, undefined), /no earlier deployment/);
  assert.throws(() => parseHistoryId('latest'), UsageError);
});

test('delete needs --yes when nobody can answer; --cascade takes true/false', async () => {
  await assert.rejects(confirmed('web', { cascade: true }, false), /refusing to delete application web without --yes/);
  assert.equal(await confirmed('web', { cascade: true, yes: true }, false), true);
  assert.equal(parseBool('false'), false);
  assert.equal(parseBool('TRUE'), true);
  assert.throws(() => parseBool('maybe'), UsageError);
});

test('usage mistakes exit with 2 before contacting any server', async (t) => {
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'fjord-cli-args-'));
  t.after(() => { process.env = saved; rmSync(dir, { recursive: true, force: true }); });
  process.env['XDG_CONFIG_HOME'] = dir;
  delete process.env['FJORD_SERVER'];
  delete process.env['FJORD_AUTH_TOKEN'];
  const run = (...args: string[]): Promise<number> => main(['node', 'fjord', 'app', ...args]);
  const unreachable = ['--server', 'http://127.0.0.1:9'];
  assert.equal(await run('sync'), 2, 'missing APP');
  assert.equal(await run('list', '--bogus'), 2, 'unknown option');
  assert.equal(await run('list', '-o', 'xml', ...unreachable), 2, 'unknown output format');
  assert.equal(await run('sync', 'web', '--resource', 'nonsense', ...unreachable), 2);
  assert.equal(await run('wait', 'web', '--timeout', 'soon', ...unreachable), 2);
  assert.equal(await run('delete', 'web', ...unreachable), 2, 'no --yes without a terminal');
  assert.equal(await run('delete', 'web', '--cascade=maybe', '--yes', ...unreachable), 2);
  assert.equal(await run('list'), 2, 'no server configured');
  assert.equal(await run('get', 'web', ...unreachable), 1, 'nothing listens there: a failure, not a usage error');
  assert.equal(await run('diff', 'web', '--exit-code', ...unreachable), 2, 'diff --exit-code: errors are 2');
});
