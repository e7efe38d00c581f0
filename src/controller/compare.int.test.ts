// The dry-run cache of comparisons against the real cluster: after a sync, the reconcile that follows
// needs no dry run, not even once the Deployment controller has written the rollout's status; a real
// change to the object by someone else still asks the API server again and is seen as drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dispatcher } from 'undici';
import { KubeClient, type KubeObject, type RequestOptions } from '../kube/client.js';
import { loadKubeconfig } from '../kube/kubeconfig.js';
import { Discovery } from '../kube/discovery.js';
import { objectPath } from '../kube/paths.js';
import { applyObject } from '../sync/apply.js';
import { testKubeconfig, testNamespace } from '../testing/cluster.js';
import { eventually } from '../testing/wait.js';
import { compareOne, DryRunCache, rememberApplied } from './compare.js';

/** A real client that counts the dry runs it sends. */
class CountingClient extends KubeClient {
  dryRuns = 0;
  override request<T = KubeObject>(method: Dispatcher.HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
    if (opts.query?.['dryRun'] === 'All') this.dryRuns++;
    return super.request<T>(method, path, opts);
  }
}

test('after a sync, comparing costs no dry run until the object really changes', async (t) => {
  const kube = new CountingClient(loadKubeconfig(testKubeconfig()));
  const ns = await testNamespace(t, kube, 'cmp');
  t.after(() => kube.close());
  const info = await new Discovery(kube).resourceFor('apps/v1', 'Deployment');
  const object: KubeObject = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  };
  const desired = { object, info, file: 'web.yaml' };
  const cache = new DryRunCache();
  const ctx = { kube, fieldManager: 'fjord', ignore: [], cache };
  const outcome = await applyObject(kube, info, object, undefined, { fieldManager: 'fjord', validate: true, replace: false });
  assert.ok(outcome.applied, outcome.message);
  rememberApplied(cache, object, outcome.applied);

  const path = objectPath(info, 'web', ns);
  const rolledOut = await eventually('the Deployment rolled out', async () => {
    const live = await kube.request('GET', path);
    const status = live['status'] as { readyReplicas?: number } | undefined;
    return status?.readyReplicas === 1 ? live : undefined;
  }, 30_000);
  assert.notEqual(rolledOut.metadata?.resourceVersion, outcome.applied.metadata?.resourceVersion, 'the status writes changed the resourceVersion');
  const afterRollout = await compareOne(ctx, desired, rolledOut);
  assert.equal(afterRollout.status, 'Synced');
  assert.equal(kube.dryRuns, 0, 'a status-only change needs no dry run');

  await kube.request('PATCH', path, { body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'kubectl-edit' } });
  const scaled = await kube.request('GET', path);
  const drifted = await compareOne(ctx, desired, scaled);
  assert.equal(drifted.status, 'OutOfSync');
  assert.equal(kube.dryRuns, 1, 'a changed spec is predicted by the API server again');
  await compareOne(ctx, desired, scaled);
  assert.equal(kube.dryRuns, 1, 'and that prediction is cached');
});
