// Fake Nodes for KWOK: plain Node objects without taints, so any workload schedules onto them and
// KWOK drives their Pods to Running and Ready.
import type { KubeClient, KubeObject } from '../../kube/client.js';

export function fakeNode(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name,
        'node-role.kubernetes.io/agent': '', type: 'kwok',
      },
    },
    status: { allocatable: { cpu: '32', memory: '256Gi', pods: '110' }, capacity: { cpu: '32', memory: '256Gi', pods: '110' } },
  };
}

export async function ensureNodes(kube: KubeClient, names: readonly string[]): Promise<void> {
  for (const name of names) {
    if (await kube.getOrUndefined(`/api/v1/nodes/${name}`)) continue;
    await kube.create('/api/v1/nodes', fakeNode(name));
  }
}

interface NodeStatus { status?: { conditions?: { type: string; status: string }[] } }

export async function nodesReady(kube: KubeClient, names: readonly string[]): Promise<boolean> {
  for (const name of names) {
    const node = await kube.get<NodeStatus>(`/api/v1/nodes/${name}`);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status !== 'True') return false;
  }
  return true;
}
