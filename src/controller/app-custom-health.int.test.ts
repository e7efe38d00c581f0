// User-defined health: a Lua check from the ConfigMap (Argo CD's resource.customizations.health
// format) decides the health of a custom resource, and a status change of that resource alone wakes
// the Application, so its health follows without waiting for the periodic reconcile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startAppFixture } from '../testing/app-fixture.js';
import { defer } from '../testing/cleanup.js';
import { eventually } from '../testing/wait.js';

const script = `
hs = {status = "Progressing", message = "waiting for the widget"}
if obj.status ~= nil and obj.status.phase == "Ready" then hs.status = "Healthy"; hs.message = "widget ready" end
if obj.status ~= nil and obj.status.phase == "Broken" then hs.status = "Degraded"; hs.message = obj.status.reason end
return hs
`;

test('a Lua health check from the ConfigMap decides a custom resource\'s health, and status changes wake the Application', async (t) => {
  const group = `widgets-${randomBytes(3).toString('hex')}.test.fjord.dev`;
  const f = await startAppFixture(t, { healthScripts: { [`resource.customizations.health.${group}_Widget`]: script } });
  const crdName = `widgets.${group}`;
  await f.kube.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: crdName },
    spec: {
      group, scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  defer(t, () => f.kube.delete(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`));
  await eventually('CRD established', async () => {
    const crd = await f.kube.get<{ status?: { conditions?: { type: string; status: string }[] } }>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`);
    return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
  });
  await f.push({ 'w/widget.yaml': `apiVersion: ${group}/v1\nkind: Widget\nmetadata:\n  name: gadget\nspec:\n  size: 3\n` }, 'widget');
  const app = f.appName('widget');
  await f.ctrl.createApp(app, f.spec('w', { syncPolicy: { automated: {} } }));
  const progressing = await f.waitFor(app, 'Progressing by the Lua check', (x) => x.sync.status === 'Synced' && x.health.status === 'Progressing');
  assert.equal(progressing.health.message, 'waiting for the widget');
  const statusPath = `/apis/${group}/v1/namespaces/${f.dest}/widgets/gadget/status`;
  await f.kube.request('PATCH', statusPath, { body: { status: { phase: 'Broken', reason: 'flux capacitor missing' } }, contentType: 'application/merge-patch+json' });
  const degraded = await f.waitFor(app, 'Degraded', (x) => x.health.status === 'Degraded', 10_000);
  assert.equal(degraded.health.message, 'flux capacitor missing');
  await f.kube.request('PATCH', statusPath, { body: { status: { phase: 'Ready' } }, contentType: 'application/merge-patch+json' });
  await f.waitFor(app, 'Healthy', (x) => x.health.status === 'Healthy', 10_000);
});
