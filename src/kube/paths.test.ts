import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceInfo } from './discovery.js';
import { collectionPath, groupVersionPath, objectPath, splitApiVersion } from './paths.js';

const verbs = ['get', 'list', 'watch'];
const pods: ResourceInfo = { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true, verbs };
const deployments: ResourceInfo = { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true, verbs };
const clusterRoles: ResourceInfo = { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', resource: 'clusterroles', namespaced: false, verbs };

test('apiVersion splits into group and version, the core group being empty', () => {
  assert.deepEqual(splitApiVersion('v1'), { group: '', version: 'v1' });
  assert.deepEqual(splitApiVersion('apps/v1'), { group: 'apps', version: 'v1' });
  for (const bad of ['', 'a/b/c', 'apps/', '/v1']) assert.throws(() => splitApiVersion(bad), /invalid apiVersion/);
});

test('the core group lives under /api, the others under /apis', () => {
  assert.equal(groupVersionPath({ group: '', version: 'v1' }), '/api/v1');
  assert.equal(groupVersionPath({ group: 'apps', version: 'v1' }), '/apis/apps/v1');
});

test('collections of namespaced resources are per namespace, or across all namespaces without one', () => {
  assert.equal(collectionPath(pods, 'ns'), '/api/v1/namespaces/ns/pods');
  assert.equal(collectionPath(pods), '/api/v1/pods');
  assert.equal(collectionPath(deployments, 'prod'), '/apis/apps/v1/namespaces/prod/deployments');
  assert.equal(collectionPath(deployments), '/apis/apps/v1/deployments');
});

test('a namespace given for a cluster-scoped resource is ignored', () => {
  assert.equal(collectionPath(clusterRoles, 'ns'), '/apis/rbac.authorization.k8s.io/v1/clusterroles');
  assert.equal(objectPath(clusterRoles, 'admin', 'ns'), '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin');
});

test('object paths name the object, escaped, and need a namespace for namespaced kinds', () => {
  assert.equal(objectPath(pods, 'web-0', 'ns'), '/api/v1/namespaces/ns/pods/web-0');
  assert.equal(objectPath(clusterRoles, 'system:aggregate-to-view'), '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Aaggregate-to-view');
  assert.throws(() => objectPath(deployments, 'api'), /Deployment api: kind is namespaced/);
  assert.throws(() => objectPath(pods, '', 'ns'), /needs a name/);
});
