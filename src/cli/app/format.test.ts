// What a person sees in the terminal: aligned columns, the list row of an Application, the summary
// of `get`, the resources table, history and operation failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../../client/types.js';
import { failureLines, formatApplication, formatList, shortRevision, syncPolicyOf } from './format.js';
import { formatHistory } from './history.js';
import { progressText } from './progress.js';
import { formatFields, formatTable } from './table.js';
import { formatDiff } from './diff.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function app(over: Partial<Application> = {}): Application {
  return {
    metadata: { name: 'payment-service' },
    spec: { project: 'team-a', source: { repoURL: 'http://127.0.0.1:9999/org/config.git', path: 'overlays/oslo', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'payments' } },
    status: {
      sync: { status: 'OutOfSync', revision: SHA }, health: { status: 'Progressing' },
      resources: [
        { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'payments', name: 'api', status: 'OutOfSync', health: { status: 'Progressing', message: 'rollout 1/2' } },
        { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'settings', status: 'Synced' },
      ],
      conditions: [{ type: 'SyncError', message: 'Deployment payments/api: dry-run failed', lastTransitionTime: '2026-01-02T03:04:05Z' }],
    },
    ...over,
  };
}

test('tables align every column on its widest cell, with no trailing blanks and "-" for empty cells', () => {
  const out = formatTable(['NAME', 'SYNC', 'MSG'], [['a', 'Synced', ''], ['longer-name', 'OutOfSync', 'x\ty']]);
  assert.equal(out, 'NAME         SYNC       MSG\na            Synced     -\nlonger-name  OutOfSync  x y\n');
  assert.equal(formatFields([['Name', 'x'], ['Sync Status', 'Synced']]), 'Name:         x\nSync Status:  Synced\n');
});

test('list shows NAME PROJECT SYNC HEALTH REPO PATH TARGET; wide adds cluster, namespace, policy, conditions, revision', () => {
  const lines = formatList([app(), app({ metadata: { name: 'b' }, status: {} })]).split('\n');
  assert.match(lines[0] ?? '', /^NAME\s+PROJECT\s+SYNC\s+HEALTH\s+REPO\s+PATH\s+TARGET$/);
  assert.match(lines[1] ?? '', /^payment-service\s+team-a\s+OutOfSync\s+Progressing\s+http:\/\/127\.0\.0\.1:9999\/org\/config\.git\s+overlays\/oslo\s+main$/);
  assert.match(lines[2] ?? '', /^b\s+team-a\s+Unknown\s+Unknown\s/);
  assert.equal((lines[0] ?? '').indexOf('SYNC'), (lines[1] ?? '').indexOf('OutOfSync'), 'columns line up');
  const wide = formatList([app()], true);
  assert.match(wide, /^NAME\s+CLUSTER\s+NAMESPACE\s+PROJECT\s+SYNC\s+HEALTH\s+SYNCPOLICY\s+CONDITIONS\s+REPO\s+PATH\s+TARGET\s+REVISION\n/);
  assert.match(wide, /https:\/\/kubernetes\.default\.svc\s+payments\s+team-a\s+OutOfSync\s+Progressing\s+Manual\s+SyncError\s.*\sa1b2c3d\n$/);
});

test('get shows the summary, the conditions and the resources table', () => {
  const out = formatApplication(app());
  assert.match(out, /^Name:\s+payment-service$/m);
  assert.match(out, /^Sync Status:\s+OutOfSync to main \(a1b2c3d\)$/m);
  assert.match(out, /^Health Status:\s+Progressing$/m);
  assert.match(out, /^CONDITION\s+MESSAGE\s+LAST TRANSITION\nSyncError\s+Deployment payments\/api: dry-run failed\s+2026-01-02T03:04:05Z$/m);
  assert.match(out, /^GROUP\s+KIND\s+NAMESPACE\s+NAME\s+STATUS\s+HEALTH\napps\s+Deployment\s+payments\s+api\s+OutOfSync\s+Progressing\n-\s+ConfigMap\s+payments\s+settings\s+Synced\s+-$/m);
  assert.match(formatApplication(app(), true), /Progressing\s+rollout 1\/2$/m);
  assert.doesNotMatch(formatApplication(app({ status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } } })), /CONDITION/);
});

test('sync policy, short revisions and failures read plainly', () => {
  assert.equal(syncPolicyOf(app({ spec: { ...app().spec, syncPolicy: { automated: { prune: true, selfHeal: true } } } })), 'Automated (Prune, SelfHeal)');
  assert.equal(syncPolicyOf(app({ spec: { ...app().spec, syncPolicy: { automated: { enabled: false } } } })), 'Manual');
  assert.equal(shortRevision(SHA), 'a1b2c3d');
  assert.equal(shortRevision('v1.2.0'), 'v1.2.0');
  const failed = app({ status: { operationState: {
    operation: { sync: { revision: SHA, prune: false }, initiatedBy: { username: 'ci' } }, phase: 'Failed', message: 'one or more objects failed to apply', startedAt: 't0',
    syncResult: { revision: SHA, resources: [
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'payments', name: 'api', status: 'SyncFailed', message: 'spec.replicas: Invalid value: "x"', syncPhase: 'Sync', syncWave: 0 },
      { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'ok', status: 'Synced', message: 'configured', syncPhase: 'Sync', syncWave: 0 },
    ] },
  } } });
  assert.deepEqual(failureLines(failed), ['Failed: one or more objects failed to apply', 'Deployment payments/api: spec.replicas: Invalid value: "x"']);
});

test('history shows ID, DATE, short REVISION, AUTHOR and the first line of the MESSAGE', () => {
  const out = formatHistory([{ id: 0, revision: SHA, deployedAt: '2026-01-02T03:04:05Z', deployStartedAt: '', source: {}, initiatedBy: { username: 'ops' }, revisionMetadata: { author: 'Ada <ada@example.org>', message: 'Bump api to 1.2\n\nlong body' } }]);
  assert.equal(out, 'ID  DATE                  REVISION  AUTHOR                 MESSAGE\n0   2026-01-02T03:04:05Z  a1b2c3d   Ada <ada@example.org>  Bump api to 1.2\n');
});

test('diff prints each differing resource under a header and skips identical ones', () => {
  const out = formatDiff([
    { group: 'apps', kind: 'Deployment', namespace: 'p', name: 'api', status: 'OutOfSync', liveState: {}, targetState: {}, diff: '--- live\n+++ git\n-a\n+b\n' },
    { group: '', kind: 'ConfigMap', namespace: 'p', name: 'same', status: 'Synced', liveState: {}, targetState: {}, diff: '' },
    { group: '', kind: 'ConfigMap', namespace: 'p', name: 'old', status: 'OutOfSync', liveState: {}, targetState: null, diff: '-x\n' },
  ]);
  assert.equal(out, '===== apps/Deployment p/api =====\n--- live\n+++ git\n-a\n+b\n\n===== ConfigMap p/old (not in Git: to be pruned) =====\n-x\n');
  assert.equal(formatDiff([]), '');
});

test('the progress line names sync, health, operation phase and elapsed time', () => {
  assert.equal(progressText('web', app(), 75_000), 'web  sync: OutOfSync  health: Progressing  operation: -  1m15s');
  assert.equal(progressText('web', undefined, 3_000), 'web  (not found)  3s');
  assert.equal(progressText('web', null, 0), 'web  connecting…  0s');
});
