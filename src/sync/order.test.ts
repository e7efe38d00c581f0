import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube/client.js';
import { compareForSync, syncWave, waves, type Ordered } from './order.js';

function o(kind: string, name: string, wave?: string, prefix = 'argocd.argoproj.io/'): KubeObject {
  return { apiVersion: 'v1', kind, metadata: { name, ...(wave === undefined ? {} : { annotations: { [`${prefix}sync-wave`]: wave } }) } };
}

const item = (obj: KubeObject, phase: Ordered['phase'] = 'Sync'): Ordered => ({ phase, wave: syncWave(obj), object: obj });

test('namespaces, then config, then workloads, then custom resources, by name within a kind', () => {
  const sorted = [o('Deployment', 'b'), o('Widget', 'w'), o('Deployment', 'a'), o('ConfigMap', 'c'), o('Namespace', 'n'), o('CustomResourceDefinition', 'crd')]
    .map((x) => item(x)).sort(compareForSync).map((x) => `${String(x.object.kind)}/${String(x.object.metadata?.name)}`);
  assert.deepEqual(sorted, ['Namespace/n', 'ConfigMap/c', 'CustomResourceDefinition/crd', 'Deployment/a', 'Deployment/b', 'Widget/w']);
});

test('sync waves come before kind order, negative waves first, under either annotation prefix', () => {
  assert.equal(syncWave(o('Job', 'j', '-2')), -2);
  assert.equal(syncWave(o('Job', 'j', '5', 'fjord.dev/')), 5);
  assert.equal(syncWave(o('Job', 'j', 'soon')), 0);
  const steps = waves([item(o('Namespace', 'late', '2')), item(o('Deployment', 'early', '-1')), item(o('Service', 'mid'))]);
  assert.deepEqual(steps.map((s) => s.map((x) => x.object.metadata?.name)), [['early'], ['mid'], ['late']]);
});

test('phases come before waves: PreSync hooks run before wave -5 of the Sync phase', () => {
  const steps = waves([item(o('Deployment', 'app', '-5')), item(o('Job', 'migrate', '3'), 'PreSync'), item(o('Job', 'smoke'), 'PostSync')]);
  assert.deepEqual(steps.map((s) => `${s[0]?.phase ?? ''}:${String(s[0]?.object.metadata?.name)}`), ['PreSync:migrate', 'Sync:app', 'PostSync:smoke']);
});
