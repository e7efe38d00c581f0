import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSyncOptions, resourceDisallows } from './options.js';

test('sync options parse Argo CD names with their defaults', () => {
  const o = parseSyncOptions(['CreateNamespace=true', 'PruneLast=true', 'PrunePropagationPolicy=background', 'Validate=false']);
  assert.equal(o.createNamespace, true);
  assert.equal(o.pruneLast, true);
  assert.equal(o.prunePropagationPolicy, 'Background');
  assert.equal(o.validate, false);
  const d = parseSyncOptions(undefined);
  assert.deepEqual([d.createNamespace, d.prunePropagationPolicy, d.validate, d.replace], [false, 'Foreground', true, false]);
});

test('a resource annotation can forbid pruning or deletion, under either prefix', () => {
  assert.ok(resourceDisallows({ metadata: { annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } } }, 'Prune'));
  assert.ok(resourceDisallows({ metadata: { annotations: { 'fjord.dev/sync-options': 'Validate=false, Delete=false' } } }, 'Delete'));
  assert.ok(!resourceDisallows({ metadata: { annotations: { 'fjord.dev/sync-options': 'Delete=false' } } }, 'Prune'));
});
