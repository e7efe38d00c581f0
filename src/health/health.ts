// Resource health: a custom check first, then the built-in check for the kind, then the generic
// readiness conditions. Undefined means the object has no health (a ConfigMap, a Role, …) and is left
// out when an application's health is aggregated.
import type { KubeObject } from '../kube/client.js';
import { apiServiceHealth } from './apiservice.js';
import { applicationHealth } from './application.js';
import { crdHealth } from './crd.js';
import { cronJobHealth } from './cronjob.js';
import { daemonSetHealth } from './daemonset.js';
import { deploymentHealth } from './deployment.js';
import { conditionsHealth } from './generic.js';
import { hpaHealth } from './hpa.js';
import { ingressHealth } from './ingress.js';
import { jobHealth } from './job.js';
import { namespaceHealth } from './namespace.js';
import { podHealth } from './pod.js';
import { pvcHealth } from './pvc.js';
import { replicaSetHealth } from './replicaset.js';
import { serviceHealth } from './service.js';
import { statefulSetHealth } from './statefulset.js';
import { health, type HealthResult } from './types.js';

/** Undefined means "no opinion": the next source of health is asked. */
export type HealthCheck = (obj: KubeObject) => HealthResult | undefined;

/** Built-in checks by group/kind key (see groupKindKey); any API version of the group. */
export const BUILTIN_HEALTH_CHECKS: ReadonlyMap<string, HealthCheck> = new Map<string, HealthCheck>([
  ['apps/Deployment', deploymentHealth],
  ['apps/StatefulSet', statefulSetHealth],
  ['apps/DaemonSet', daemonSetHealth],
  ['apps/ReplicaSet', replicaSetHealth],
  ['extensions/Deployment', deploymentHealth],
  ['extensions/DaemonSet', daemonSetHealth],
  ['extensions/ReplicaSet', replicaSetHealth],
  ['Pod', podHealth],
  ['Service', serviceHealth],
  ['PersistentVolumeClaim', pvcHealth],
  ['Namespace', namespaceHealth],
  ['networking.k8s.io/Ingress', ingressHealth],
  ['extensions/Ingress', ingressHealth],
  ['batch/Job', jobHealth],
  ['batch/CronJob', cronJobHealth],
  ['autoscaling/HorizontalPodAutoscaler', hpaHealth],
  ['apiregistration.k8s.io/APIService', apiServiceHealth],
  ['apiextensions.k8s.io/CustomResourceDefinition', crdHealth],
  ['argoproj.io/Application', applicationHealth],
  ['fjord.dev/Application', applicationHealth],
]);

/** 'apps/Deployment' for grouped kinds; the bare kind ('Pod') for the core group. */
export function groupKindKey(obj: KubeObject): string {
  const apiVersion = obj.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const kind = obj.kind ?? '';
  return group ? `${group}/${kind}` : kind;
}

function lookup(checks: ReadonlyMap<string, HealthCheck>, key: string): HealthCheck | undefined {
  return checks.get(key) ?? (key.includes('/') ? undefined : checks.get(`/${key}`));
}

function runCustom(check: HealthCheck, obj: KubeObject, key: string): HealthResult | undefined {
  try {
    return check(obj);
  } catch (err) {
    return health('Unknown', `custom health check for ${key} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The object's health. Custom checks are keyed like groupKindKey ('apps/Deployment'); a core kind may
 * also be keyed '/Pod'. A custom check that throws yields Unknown with the error as the message.
 */
export function assessHealth(obj: KubeObject, custom?: ReadonlyMap<string, HealthCheck>): HealthResult | undefined {
  const key = groupKindKey(obj);
  const customCheck = custom ? lookup(custom, key) : undefined;
  const fromCustom = customCheck ? runCustom(customCheck, obj, key) : undefined;
  if (fromCustom) return fromCustom;
  const builtin = BUILTIN_HEALTH_CHECKS.get(key);
  return builtin?.(obj) ?? conditionsHealth(obj);
}
