import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFromData, DEFAULT_CONFIG, parseDuration } from './config.js';

test('durations are read as Argo CD writes them', () => {
  assert.equal(parseDuration('180s'), 180_000);
  assert.equal(parseDuration('3m'), 180_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('90'), 90_000);
  assert.equal(parseDuration('soon'), undefined);
});

test('the seeds\' ConfigMap keys set the controller, and bad values are reported and ignored', () => {
  const { config, problems } = configFromData({ 'timeout.reconciliation': '60s', 'status.processors': '50', 'operation.processors': '25', 'reposerver.parallelism.limit': '10', 'fjord.revisionPoll.interval': 'x' });
  assert.equal(config.reconciliationMs, 60_000);
  assert.equal(config.statusProcessors, 50);
  assert.equal(config.operationProcessors, 25);
  assert.equal(config.repoParallelism, 10);
  assert.equal(config.pollIntervalMs, DEFAULT_CONFIG.pollIntervalMs);
  assert.deepEqual(problems, ['fjord.revisionPoll.interval: "x" is not a duration (e.g. 180s, 3m)']);
});
