import { test } from 'node:test';
import assert from 'node:assert/strict';
import { owningApp, withTracking } from './tracking.js';

const A = 'fjord.dev/tracking-id';

test('a tracked object names its Application; the annotation copied to another object does not', () => {
  const dep = withTracking({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'payments' } }, A, 'payment-service');
  assert.equal((dep.metadata?.['annotations'] as Record<string, string>)[A], 'payment-service:apps/Deployment:payments/api');
  assert.equal(owningApp(dep, A), 'payment-service');
  const copy = { ...dep, metadata: { ...dep.metadata, name: 'other' } };
  assert.equal(owningApp(copy, A), undefined);
  assert.equal(owningApp({ kind: 'ConfigMap', metadata: { name: 'x' } }, A), undefined);
});

test('core kinds have an empty group and cluster-scoped objects an empty namespace', () => {
  const ns = withTracking({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } }, A, 'app');
  assert.equal((ns.metadata?.['annotations'] as Record<string, string>)[A], 'app:/Namespace:/payments');
  assert.equal(owningApp(ns, A), 'app');
});
