import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube/client.js';
import { assessHealth, groupKindKey, type HealthCheck } from './health.js';

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', generation: 1 },
  spec: { replicas: 1 },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
};
const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, status: { phase: 'Broken' } };
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: { phase: 'Succeeded' } };

const degraded: HealthCheck = () => ({ status: 'Degraded', message: 'custom says no' });

test('groupKindKey is group/Kind, and the bare kind for the core group', () => {
  assert.equal(groupKindKey(deployment), 'apps/Deployment');
  assert.equal(groupKindKey(pod), 'Pod');
  assert.equal(groupKindKey(widget), 'example.com/Widget');
});

test('a custom check wins over the built-in check for its kind', () => {
  assert.deepEqual(assessHealth(deployment), { status: 'Healthy' });
  assert.deepEqual(assessHealth(deployment, new Map([['apps/Deployment', degraded]])), { status: 'Degraded', message: 'custom says no' });
});

test('a custom check with no opinion falls through to the built-in check', () => {
  const abstain: HealthCheck = () => undefined;
  assert.deepEqual(assessHealth(deployment, new Map([['apps/Deployment', abstain]])), { status: 'Healthy' });
});

test('a custom check gives health to a kind that has none built in', () => {
  const byPhase: HealthCheck = (obj) => ((obj['status'] as { phase?: string } | undefined)?.phase === 'Broken' ? { status: 'Degraded' } : undefined);
  assert.equal(assessHealth(widget), undefined);
  assert.deepEqual(assessHealth(widget, new Map([['example.com/Widget', byPhase]])), { status: 'Degraded' });
});

test('custom checks for core kinds may be keyed "Pod" or "/Pod"', () => {
  assert.equal(assessHealth(pod, new Map([['Pod', degraded]]))?.status, 'Degraded');
  assert.equal(assessHealth(pod, new Map([['/Pod', degraded]]))?.status, 'Degraded');
});

test('a custom check applies only to its own group', () => {
  const legacy: KubeObject = { ...deployment, apiVersion: 'extensions/v1beta1' };
  assert.deepEqual(assessHealth(legacy, new Map([['apps/Deployment', degraded]])), { status: 'Healthy' });
});

test('a custom check that throws yields Unknown with the error, not a crash', () => {
  const broken: HealthCheck = () => { throw new Error('field missing'); };
  assert.deepEqual(assessHealth(deployment, new Map([['apps/Deployment', broken]])), {
    status: 'Unknown',
    message: 'custom health check for apps/Deployment failed: field missing',
  });
});

test('built-in checks match any version of their group', () => {
  const beta: KubeObject = { ...deployment, apiVersion: 'apps/v1beta2', spec: { paused: true } };
  assert.equal(assessHealth(beta)?.status, 'Suspended');
});
