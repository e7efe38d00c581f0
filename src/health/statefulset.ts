// StatefulSet: Progressing until the spec is observed and every replica is ready; then, by update
// strategy, until the rollout has reached the partition (RollingUpdate with a partition), the update
// revision (RollingUpdate) or nothing more (OnDelete: pods update only when deleted).
import type { KubeObject } from '../kube/client.js';
import { generationObserved, num, str } from './fields.js';
import { health, type HealthResult } from './types.js';

function observed(obj: KubeObject): boolean {
  return num(obj, 'status', 'observedGeneration') !== undefined && generationObserved(obj);
}

function partitionedRollout(obj: KubeObject, desired: number, partition: number): HealthResult {
  const updated = num(obj, 'status', 'updatedReplicas') ?? 0;
  const target = Math.max(desired - partition, 0);
  if (updated < target) {
    return health('Progressing', `Waiting for partitioned roll out to finish: ${updated} out of ${target} new pods have been updated...`);
  }
  return health('Healthy', `partitioned roll out complete: ${updated} new pods have been updated...`);
}

function revisionRollout(obj: KubeObject): HealthResult {
  const updateRevision = str(obj, 'status', 'updateRevision') ?? '';
  const currentRevision = str(obj, 'status', 'currentRevision') ?? '';
  if (updateRevision !== currentRevision) {
    const updated = num(obj, 'status', 'updatedReplicas') ?? 0;
    return health('Progressing', `Waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`);
  }
  const current = num(obj, 'status', 'currentReplicas') ?? 0;
  return health('Healthy', `statefulset rolling update complete ${current} pods at revision ${currentRevision}...`);
}

export function statefulSetHealth(obj: KubeObject): HealthResult {
  if (!observed(obj)) return health('Progressing', 'Waiting for statefulset spec update to be observed...');
  const desired = num(obj, 'spec', 'replicas') ?? 1;
  const ready = num(obj, 'status', 'readyReplicas') ?? 0;
  if (ready < desired) return health('Progressing', `Waiting for ${desired - ready} pods to be ready...`);
  if (str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') return health('Healthy', `statefulset has ${ready} ready pods`);
  const partition = num(obj, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  return partition > 0 ? partitionedRollout(obj, desired, partition) : revisionRollout(obj);
}
