// Which age identities an Application gets, against the real test cluster: the controller-wide ones
// without the annotation; its own Secret's first when annotated and the Secret allows its project; a
// clear refusal naming the Application, annotation and Secret otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../kube/client.js';
import { testKube, testNamespace } from '../../testing/cluster.js';
import { AGE_SECRET_ANNOTATION, AGE_SECRET_PROJECTS_ANNOTATION, appAgeIdentities } from './app-keys.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const app = (name: string, project: string, secret?: string): KubeObject => ({
  metadata: { name, ...(secret ? { annotations: { [AGE_SECRET_ANNOTATION]: secret } } : {}) }, spec: { project },
});

test('an Application uses its own age Secret when the Secret allows its project, else the default', async (t) => {
  const kube = testKube(t);
  const ns = await testNamespace(t, kube, 'agekeys');
  const secret = (name: string, projects: string | undefined, data: Record<string, string>): Promise<unknown> => kube.create(`/api/v1/namespaces/${ns}/secrets`, {
    apiVersion: 'v1', kind: 'Secret', metadata: { name, ...(projects ? { annotations: { [AGE_SECRET_PROJECTS_ANNOTATION]: projects } } : {}) }, data,
  });
  await secret('payments-age', 'payments, billing', { 'a.agekey': b64('AGE-SECRET-KEY-PAYMENTS'), 'notes.txt': b64('ignored') });
  await secret('open-age', '*', { 'b.agekey': b64('AGE-SECRET-KEY-OPEN') });
  await secret('unshared-age', undefined, { 'c.agekey': b64('AGE-SECRET-KEY-UNSHARED') });
  await secret('empty-age', '*', { 'readme': b64('no keys here') });
  const apps = new Map([
    ['plain', app('plain', 'default')],
    ['pay', app('pay', 'payments', 'payments-age')],
    ['web', app('web', 'web', 'payments-age')],
    ['open', app('open', 'web', 'open-age')],
    ['unshared', app('unshared', 'default', 'unshared-age')],
    ['empty', app('empty', 'default', 'empty-age')],
    ['missing', app('missing', 'default', 'nope')],
  ]);
  const ids = appAgeIdentities({ kube, namespace: ns, application: (n) => apps.get(n), defaults: () => ['AGE-SECRET-KEY-DEFAULT'] });

  assert.deepEqual(await ids('plain'), ['AGE-SECRET-KEY-DEFAULT']);
  assert.deepEqual(await ids('pay'), ['AGE-SECRET-KEY-PAYMENTS', 'AGE-SECRET-KEY-DEFAULT']);
  assert.deepEqual(await ids('open'), ['AGE-SECRET-KEY-OPEN', 'AGE-SECRET-KEY-DEFAULT']);
  await assert.rejects(ids('web'), new RegExp(`^Error: Application ${ns}/web: annotation ${AGE_SECRET_ANNOTATION} names Secret ${ns}/payments-age, which does not allow project "web" \\(its annotation ${AGE_SECRET_PROJECTS_ANNOTATION} lists payments, billing\\)$`));
  await assert.rejects(ids('unshared'), /which does not allow project "default" \(its annotation fjord\.dev\/sops-age-projects lists none\)/);
  await assert.rejects(ids('empty'), /names Secret .*\/empty-age, which has no \*\.agekey entry/);
  await assert.rejects(ids('missing'), /names Secret .*\/nope, which does not exist/);
});
