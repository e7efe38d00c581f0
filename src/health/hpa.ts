// HorizontalPodAutoscaler: AbleToScale False (cannot read or update the target's scale) or
// ScalingActive False (metrics unavailable, bad selector) → Degraded; ScalingActive False because the
// target was scaled to zero (ScalingDisabled) → Suspended; both True → Healthy; else Progressing.
// autoscaling/v1 objects carry their conditions as JSON in an annotation.
import type { KubeObject } from '../kube/client.js';
import { conditions, toConditions, type Condition } from './fields.js';
import { health, type HealthResult } from './types.js';

const V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
const WAITING = health('Progressing', 'Waiting to Autoscale');

function parseAnnotation(raw: unknown): Condition[] {
  if (typeof raw !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? toConditions(parsed) : [];
  } catch {
    return [];
  }
}

function hpaConditions(obj: KubeObject): Condition[] {
  const fromStatus = conditions(obj);
  if (fromStatus.length > 0) return fromStatus;
  const annotations = obj.metadata?.['annotations'] as Record<string, unknown> | undefined;
  return parseAnnotation(annotations?.[V1_CONDITIONS_ANNOTATION]);
}

function describe(c: Condition): string {
  return c.message ?? c.reason ?? `${c.type} is ${c.status}`;
}

export function hpaHealth(obj: KubeObject): HealthResult {
  const all = hpaConditions(obj);
  const find = (type: string): Condition | undefined => all.find((c) => c.type === type);
  const able = find('AbleToScale');
  const active = find('ScalingActive');
  if (able?.status === 'False') return health('Degraded', describe(able));
  if (active?.status === 'False') return health(active.reason === 'ScalingDisabled' ? 'Suspended' : 'Degraded', describe(active));
  if (able?.status === 'True' && active?.status === 'True') return health('Healthy', describe(find('ScalingLimited') ?? active));
  return WAITING;
}
