import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDrift, differingPaths, driftAuthors } from './forensics.js';

const predicted = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'api', image: 'api:1' }] } } },
};

test('the manager that scaled a Deployment is named with its field and time', () => {
  const live = {
    ...predicted,
    spec: { replicas: 5, template: { spec: { containers: [{ name: 'api', image: 'api:1' }] } } },
    metadata: {
      name: 'api', managedFields: [
        { manager: 'fjord', operation: 'Apply', time: '2026-11-21T10:00:00Z', fieldsV1: { 'f:spec': { 'f:template': {} } } },
        { manager: 'kubectl-scale', operation: 'Update', time: '2026-11-21T10:05:00Z', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
      ],
    },
  };
  const authors = driftAuthors(predicted, live, 'fjord');
  assert.deepEqual(authors, [{ manager: 'kubectl-scale', operation: 'Update', time: '2026-11-21T10:05:00Z', fields: ['spec.replicas'] }]);
  assert.equal(describeDrift(authors), 'spec.replicas changed by kubectl-scale (Update) at 2026-11-21T10:05:00Z');
});

test('a container image edited by kubectl edit is found through the keyed list entry', () => {
  const live = {
    ...predicted,
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'api', image: 'api:hotfix' }] } } },
    metadata: { name: 'api', managedFields: [{ manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"api"}': { 'f:image': {} } } } } } } }] },
  };
  assert.deepEqual(driftAuthors(predicted, live, 'fjord').map((a) => a.fields), [['spec.template.spec.containers.0.image']]);
});

test('no differences, no authors; a change without managedFields is still described', () => {
  assert.deepEqual(differingPaths({ a: 1 }, { a: 1 }), []);
  assert.deepEqual(driftAuthors(predicted, { ...predicted, metadata: { name: 'api' } }, 'fjord'), []);
  assert.equal(describeDrift([]), 'changed outside Git (no field manager recorded)');
});
