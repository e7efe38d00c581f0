// Test access to the real local clusters that scripts/run-tests.ts starts once per run:
// FJORD_TEST_KUBECONFIG (the main one) and FJORD_TEST_KUBECONFIG_2 (for multi-cluster tests).
// Each test gets its own namespace, deleted when the test ends.
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { clusterDown, clusterUp } from '../dev/cluster/cluster.js';
import { KubeClient } from '../kube/client.js';
import { defer } from './cleanup.js';

export function testKubeconfig(which: 1 | 2 = 1): string {
  const name = which === 1 ? 'FJORD_TEST_KUBECONFIG' : 'FJORD_TEST_KUBECONFIG_2';
  const path = process.env[name];
  if (!path) throw new Error(`${name} is not set: run integration tests through \`npm test\` (scripts/run-tests.ts starts the clusters)`);
  return path;
}

/** A client for the test cluster, closed when the test ends. */
export function testKube(t: TestContext, which: 1 | 2 = 1): KubeClient {
  const kube = KubeClient.fromKubeconfig(testKubeconfig(which));
  defer(t, () => kube.close());
  return kube;
}

/** Creates a fresh namespace for this test and deletes it (without waiting) when the test ends. */
export async function testNamespace(t: TestContext, kube: KubeClient, prefix = 't'): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  await kube.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'fjord.dev/test': 'true' } } });
  defer(t, () => kube.delete(`/api/v1/namespaces/${name}`));
  return name;
}

/**
 * A cluster of this test's own, started now and removed when the test ends: for tests that need a
 * cluster in its pristine state (no CRDs installed by other tests). Costs a few seconds.
 */
export async function privateCluster(t: TestContext, prefix = 'priv'): Promise<{ kubeconfig: string; kube: KubeClient }> {
  const name = `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
  defer(t, () => clusterDown(name));
  const state = await clusterUp({ name });
  const kube = KubeClient.fromKubeconfig(state.kubeconfig);
  defer(t, () => kube.close());
  return { kubeconfig: state.kubeconfig, kube };
}
