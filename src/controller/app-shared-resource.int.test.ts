// The same object in two Applications: the second one gets a SharedResourceWarning naming the object,
// the file and the owner, and does not take the object over; its other objects sync as usual.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../testing/app-fixture.js';

test('a resource already managed by another Application is reported and left alone', async (t) => {
  const f = await startAppFixture(t);
  await f.push({ 'one/shared.yaml': configMap('shared', { owner: 'one' }), 'two/shared.yaml': configMap('shared', { owner: 'two' }), 'two/own.yaml': configMap('own', { v: '1' }) }, 'two apps, one shared object');
  const first = f.appName('one');
  const second = f.appName('two');
  await f.ctrl.createApp(first, f.spec('one', { syncPolicy: { automated: {} } }));
  await f.waitFor(first, 'first synced', (s) => s.sync.status === 'Synced');
  await f.ctrl.createApp(second, f.spec('two', { syncPolicy: { automated: {} } }));
  const s = await f.waitFor(second, 'warning', (x) => x.conditions.some((c) => c.type === 'SharedResourceWarning'));
  const message = s.conditions.find((c) => c.type === 'SharedResourceWarning')?.message ?? '';
  assert.match(message, new RegExp(`ConfigMap ${f.dest}/shared \\(two/shared\\.yaml\\) is also part of application ${first}`));
  await f.waitFor(second, 'its own object synced', (x) => x.resources.some((r) => r.name === 'own' && r.status === 'Synced'));
  const live = await f.kube.get<{ data: { owner: string }; metadata: { annotations: Record<string, string> } }>(`/api/v1/namespaces/${f.dest}/configmaps/shared`);
  assert.equal(live.data.owner, 'one');
  assert.match(live.metadata.annotations['fjord.dev/tracking-id'] ?? '', new RegExp(`^${first}:`));
});
