import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEALTH_ORDER, isWorse, worstHealth } from './types.js';

test('precedence is Argo CD’s, best first, Unknown worst', () => {
  assert.deepEqual(HEALTH_ORDER, ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown']);
});

test('the worst status wins', () => {
  assert.equal(worstHealth(['Healthy', 'Progressing', 'Healthy']), 'Progressing');
  assert.equal(worstHealth(['Suspended', 'Healthy']), 'Suspended');
  assert.equal(worstHealth(['Progressing', 'Suspended']), 'Progressing');
  assert.equal(worstHealth(['Degraded', 'Missing', 'Progressing']), 'Degraded');
  assert.equal(worstHealth(['Missing', 'Progressing']), 'Missing');
  assert.equal(worstHealth(['Degraded', 'Unknown', 'Healthy']), 'Unknown');
});

test('nothing to aggregate is Healthy', () => {
  assert.equal(worstHealth([]), 'Healthy');
});

test('isWorse is strict', () => {
  assert.equal(isWorse('Degraded', 'Progressing'), true);
  assert.equal(isWorse('Progressing', 'Degraded'), false);
  assert.equal(isWorse('Healthy', 'Healthy'), false);
});
