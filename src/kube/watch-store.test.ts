import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './client.js';
import { ObjectStore } from './watch-store.js';

function cm(name: string, rv: string, namespace = 'ns'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, resourceVersion: rv } };
}

const summary = (changes: readonly { type: string; obj: KubeObject; old?: KubeObject }[]): string[] =>
  changes.map((c) => `${c.type} ${c.obj.metadata?.name ?? ''}@${c.obj.metadata?.resourceVersion ?? ''}${c.old ? ` (was ${c.old.metadata?.resourceVersion ?? ''})` : ''}`);

test('a fresh list into an empty store reports every object as added', () => {
  const store = new ObjectStore();
  assert.deepEqual(summary(store.replace([cm('a', '1'), cm('b', '2')])), ['ADDED a@1', 'ADDED b@2']);
  assert.equal(store.size, 2);
});

test('a re-list reports what was added, changed and deleted since, and nothing for unchanged objects', () => {
  const store = new ObjectStore();
  store.replace([cm('keep', '1'), cm('change', '2'), cm('gone', '3')]);
  const changes = store.replace([cm('keep', '1'), cm('change', '7'), cm('new', '8')]);
  assert.deepEqual(summary(changes), ['MODIFIED change@7 (was 2)', 'ADDED new@8', 'DELETED gone@3 (was 3)']);
  assert.deepEqual(store.list().map((o) => o.metadata?.name).sort(), ['change', 'keep', 'new']);
  assert.equal(store.get('ns', 'gone'), undefined);
});

test('watch events update the store and carry the previous state', () => {
  const store = new ObjectStore();
  assert.deepEqual(summary([store.apply('ADDED', cm('a', '1'))]), ['ADDED a@1']);
  assert.deepEqual(summary([store.apply('MODIFIED', cm('a', '2'))]), ['MODIFIED a@2 (was 1)']);
  assert.equal(store.get('ns', 'a')?.metadata?.resourceVersion, '2');
  assert.deepEqual(summary([store.apply('DELETED', cm('a', '3'))]), ['DELETED a@3 (was 2)']);
  assert.equal(store.size, 0);
});

test('the reported type follows the store when the server repeats or skips an event', () => {
  const store = new ObjectStore();
  assert.deepEqual(summary([store.apply('MODIFIED', cm('a', '1'))]), ['ADDED a@1']);
  assert.deepEqual(summary([store.apply('ADDED', cm('a', '2'))]), ['MODIFIED a@2 (was 1)']);
});

test('objects are keyed by namespace and name; cluster-scoped ones by name alone', () => {
  const store = new ObjectStore();
  const clusterScoped: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', resourceVersion: '3' } };
  store.replace([cm('x', '1', 'one'), cm('x', '2', 'two'), clusterScoped]);
  assert.equal(store.get('one', 'x')?.metadata?.resourceVersion, '1');
  assert.equal(store.get('two', 'x')?.metadata?.resourceVersion, '2');
  assert.equal(store.get(undefined, 'x')?.metadata?.resourceVersion, '3');
});
