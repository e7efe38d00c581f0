// The periodic reconcile writes status only when something changed, or when status.reconciledAt would
// otherwise grow older than the status heartbeat; a refresh always shows in reconciledAt. It skips the
// compare of an Application that no event woke since a reconcile that left it settled, except at each
// heartbeat (ADR 13).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { testKube, testNamespace } from '../testing/cluster.js';
import { startController, uniqueName, type TestController } from '../testing/controller.js';
import { startGitRepo } from '../testing/git.js';
import { eventually } from '../testing/wait.js';
import { createInformer } from '../kube/watch.js';
import { defer } from '../testing/cleanup.js';
import type { KubeClient } from '../kube/client.js';
import type { ApplicationStatus } from './app-status.js';

const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n';

interface Counts { all: number; unchanged: number; full: number }
interface Watched { ctrl: TestController; name: string; writes: { at: number; status: ApplicationStatus }[]; reconciles: () => Counts }

const since = (a: Counts, b: Counts): Counts => ({ all: a.all - b.all, unchanged: a.unchanged - b.unchanged, full: a.full - b.full });

/** A synced Application under a controller with the given settings, its status writes recorded from a watch. */
async function syncedApp(t: TestContext, kube: KubeClient, config: { reconciliationMs: number; statusHeartbeatMs: number }): Promise<Watched> {
  const ctrlNs = await testNamespace(t, kube, 'hb');
  const dest = await testNamespace(t, kube, 'hb-dest');
  const { repoURL, repo } = await startGitRepo(t, 'org/config.git');
  await repo.write({ 'app/settings.yaml': configMap }).commit('settings');
  await repo.push();
  const ctrl = await startController(t, kube, ctrlNs, config);
  const reconciles: Counts = { all: 0, unchanged: 0, full: 0 };
  ctrl.manager.observeWith({ reconcile: (_s, outcome) => { reconciles.all++; if (outcome === 'unchanged') reconciles.unchanged++; else reconciles.full++; } });
  const name = uniqueName('hb');
  const writes: Watched['writes'] = [];
  const informer = createInformer(kube, {
    path: `/apis/${ctrl.flavor.group}/${ctrl.flavor.version}/namespaces/${ctrlNs}/applications`,
    onEvent: (_type, obj, old) => {
      const now = obj['status'] as ApplicationStatus | undefined;
      const before = old?.['status'] as ApplicationStatus | undefined;
      if (obj.metadata?.name === name && now && now.reconciledAt !== before?.reconciledAt) writes.push({ at: Date.now(), status: now });
    },
  });
  informer.start();
  defer(t, () => informer.stop());
  await informer.synced();
  await ctrl.createApp(name, {
    project: 'default', source: { repoURL, targetRevision: 'main', path: 'app' },
    destination: { server: 'https://kubernetes.default.svc', namespace: dest }, syncPolicy: { automated: { prune: true, selfHeal: true } },
  });
  await eventually('Synced and Healthy', async () => {
    const s = (await ctrl.getApp(name))['status'] as ApplicationStatus | undefined;
    return s?.sync.status === 'Synced' && s.health.status === 'Healthy' ? s : undefined;
  }, 60_000);
  return { ctrl, name, writes, reconciles: () => ({ ...reconciles }) };
}

test('an unchanged Application is looked at every period, compared in full and written only at the heartbeat, reconciledAt alone', async (t) => {
  const kube = testKube(t);
  // Reconcile every second; reconciledAt may go unwritten for at most 4 s.
  const w = await syncedApp(t, kube, { reconciliationMs: 1000, statusHeartbeatMs: 4000 });
  await sleep(2000); // let the writes of the sync itself pass
  const reconciles0 = w.reconciles();
  const from = w.writes.length;
  const t0 = Date.now();
  await sleep(13_000);
  const r = since(w.reconciles(), reconciles0);
  const window = w.writes.slice(from);
  const last = w.writes[from - 1];
  assert.ok(r.all >= 8, `the Application was looked at every second or so (${r.all} in 13 s)`);
  assert.ok(window.length >= 2, `reconciledAt was refreshed at the heartbeat (${window.length} writes in 13 s)`);
  assert.ok(window.length <= Math.ceil(r.all / 2), `most reconciles wrote nothing (${window.length} writes for ${r.all} reconciles)`);
  // Each heartbeat comes from a full compare; the periods in between skip it.
  assert.ok(r.full >= window.length, `every heartbeat write followed a full compare (${r.full} full, ${window.length} writes)`);
  assert.ok(r.unchanged >= r.all / 2, `most periods skipped the compare (${r.unchanged} of ${r.all})`);
  // Never older than the heartbeat (plus one period's jitter and a reconcile's duration on a busy machine).
  const times = [last?.at ?? t0, ...window.map((x) => x.at)];
  const gaps = times.slice(1).map((at, i) => at - (times[i] ?? at));
  assert.ok(Math.max(...gaps) <= 4000 + 2500, `gaps between reconciledAt writes: ${gaps.join(', ')} ms`);
  // Status is one atomic field for the API server's field management: cheap to write at scale (ADR 13).
  const managed = ((await w.ctrl.getApp(w.name)).metadata?.['managedFields'] ?? []) as { subresource?: string; fieldsV1?: unknown }[];
  assert.deepEqual(managed.filter((m) => m.subresource === 'status').map((m) => m.fieldsV1), [{ 'f:status': {} }]);
  // A heartbeat changes reconciledAt and nothing else.
  for (const x of window) {
    const { reconciledAt: _a, ...rest } = x.status;
    const { reconciledAt: _b, ...before } = last?.status ?? x.status;
    assert.deepEqual(rest, before, 'only reconciledAt moved');
  }
});

test('with a long heartbeat nothing is written while nothing changes, but a refresh or a change is written at once', async (t) => {
  const kube = testKube(t);
  const w = await syncedApp(t, kube, { reconciliationMs: 1000, statusHeartbeatMs: 600_000 });
  // Settled once a periodic reconcile has skipped the compare (the sync's own follow-ups are over).
  await eventually('a periodic reconcile that skipped the compare', () => Promise.resolve(w.reconciles().unchanged > 0 ? true : undefined), 20_000);
  const reconciles0 = w.reconciles();
  const from = w.writes.length;
  await sleep(6000);
  const r = since(w.reconciles(), reconciles0);
  assert.ok(r.all >= 3, `looked at every second or so (${r.all} in 6 s)`);
  assert.equal(r.full, 0, `nothing woke it and no heartbeat was due: no compare ran (${r.full} full of ${r.all})`);
  assert.equal(w.writes.length - from, 0, 'no status write while nothing changed');

  // A refresh (what `fjord app get --refresh` sets) shows in reconciledAt although nothing changed.
  const before = w.writes.at(-1)?.status.reconciledAt;
  await kube.request('PATCH', w.ctrl.appPath(w.name), { body: { metadata: { annotations: { [w.ctrl.flavor.refreshAnnotation]: 'normal' } } }, contentType: 'application/merge-patch+json' });
  const refreshed = await eventually('reconciledAt written after the refresh', async () => {
    const app = await w.ctrl.getApp(w.name);
    const s = app['status'] as ApplicationStatus;
    const annotations = (app.metadata?.['annotations'] ?? {}) as Record<string, string>;
    return s.reconciledAt !== before && annotations[w.ctrl.flavor.refreshAnnotation] === undefined ? s : undefined;
  }, 15_000);
  assert.equal(refreshed.sync.status, 'Synced');

  // A change (drift reverted by self-heal) wakes it from the watch and is written at once, heartbeat or not.
  const dest = (refreshed.resources[0]?.namespace) ?? '';
  await kube.request('DELETE', `/api/v1/namespaces/${dest}/configmaps/settings`);
  const healed = await eventually('the self-heal recorded in status', () => Promise.resolve(w.writes.find((x) => x.status.operationState?.startedAt !== refreshed.operationState?.startedAt)), 20_000);
  assert.equal(healed.status.operationState?.phase, 'Succeeded');
  assert.ok(healed.status.operationState.syncResult?.resources.some((r) => r.name === 'settings'));
});
