// A commit that cannot be rendered never changes the cluster: the Application gets a
// ComparisonError naming the file and the cause, what runs stays as it was, and the next good commit
// is applied as usual.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppFixture, configMap } from '../testing/app-fixture.js';

test('malformed YAML gives a condition naming the file; nothing is pruned; a fix recovers', async (t) => {
  const f = await startAppFixture(t);
  await f.push({ 'r/a.yaml': configMap('a', { v: '1' }), 'r/b.yaml': configMap('b', { v: '1' }) }, 'good');
  const app = f.appName('render');
  await f.ctrl.createApp(app, f.spec('r', { syncPolicy: { automated: { prune: true, selfHeal: true } } }));
  await f.waitFor(app, 'synced', (s) => s.sync.status === 'Synced' && s.resources.length === 2);
  const bad = await f.push({ 'r/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata: [unclosed\n' }, 'broken b');
  const s = await f.waitFor(app, 'comparison error', (x) => x.conditions.some((c) => c.type === 'ComparisonError'), 30_000);
  const message = s.conditions.find((c) => c.type === 'ComparisonError')?.message ?? '';
  assert.match(message, /r\/b\.yaml/);
  assert.notEqual(s.sync.revision, bad, 'the status keeps the last good revision');
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/a`));
  assert.ok(await f.live(`/api/v1/namespaces/${f.dest}/configmaps/b`), 'nothing is pruned because of a render error');
  const fixed = await f.push({ 'r/b.yaml': configMap('b', { v: '2' }) }, 'fix b');
  const ok = await f.waitFor(app, 'recovered', (x) => x.sync.revision === fixed && x.sync.status === 'Synced' && x.conditions.length === 0, 30_000);
  assert.equal(ok.operationState?.phase, 'Succeeded');
});

test('a path that does not exist and a revision that does not exist are named in the condition', async (t) => {
  const f = await startAppFixture(t);
  const nopath = f.appName('nopath');
  await f.ctrl.createApp(nopath, f.spec('does/not/exist'));
  const a = await f.waitFor(nopath, 'condition', (x) => x.conditions.length > 0);
  assert.match(a.conditions[0]?.message ?? '', /does\/not\/exist/);
  const norev = f.appName('norev');
  await f.ctrl.createApp(norev, { ...f.spec('.'), source: { repoURL: f.repoURL, targetRevision: 'no-such-branch', path: '.' } });
  const b = await f.waitFor(norev, 'condition', (x) => x.conditions.length > 0);
  const [cond] = b.conditions;
  assert.ok(cond);
  assert.equal(cond.type, 'ComparisonError');
  assert.match(cond.message, /no-such-branch/);
});

test('an invalid spec and an unknown project are InvalidSpecError conditions', async (t) => {
  const f = await startAppFixture(t);
  const noProject = f.appName('noproj');
  await f.ctrl.createApp(noProject, f.spec('.', { project: 'nope' }));
  const a = await f.waitFor(noProject, 'condition', (x) => x.conditions.length > 0);
  const [cond] = a.conditions;
  assert.ok(cond);
  assert.equal(cond.type, 'InvalidSpecError');
  assert.match(cond.message, /project nope which does not exist/);
  const noDest = f.appName('nodest');
  await f.ctrl.createApp(noDest, { project: 'default', source: { repoURL: f.repoURL, path: '.' }, destination: { namespace: f.dest } });
  const b = await f.waitFor(noDest, 'condition', (x) => x.conditions.length > 0);
  assert.match(b.conditions[0]?.message ?? '', /destination needs exactly one of server or name/);
});
