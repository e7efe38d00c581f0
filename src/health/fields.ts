// Lenient readers for unstructured objects: a missing or mistyped field reads as absent, so a check
// never throws on a half-written status.
import type { KubeObject } from '../kube/client.js';

export interface Condition { type: string; status: string; reason?: string; message?: string }

export function at(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function num(obj: unknown, ...path: string[]): number | undefined {
  const v = at(obj, ...path);
  return typeof v === 'number' ? v : undefined;
}

export function str(obj: unknown, ...path: string[]): string | undefined {
  const v = at(obj, ...path);
  return typeof v === 'string' ? v : undefined;
}

export function bool(obj: unknown, ...path: string[]): boolean {
  return at(obj, ...path) === true;
}

export function list(obj: unknown, ...path: string[]): unknown[] {
  const v = at(obj, ...path);
  return Array.isArray(v) ? (v as unknown[]) : [];
}

export function name(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}

/** True once the object's controller has seen its latest spec (metadata.generation ≤ status.observedGeneration). */
export function generationObserved(obj: KubeObject): boolean {
  return (num(obj, 'metadata', 'generation') ?? 0) <= (num(obj, 'status', 'observedGeneration') ?? 0);
}

export function toConditions(items: readonly unknown[]): Condition[] {
  return items.flatMap((c) => {
    const type = str(c, 'type');
    const status = str(c, 'status');
    if (type === undefined || status === undefined) return [];
    const reason = str(c, 'reason');
    const message = str(c, 'message');
    return [{ type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) }];
  });
}

/** The entries of status.conditions that have a type and a status. */
export function conditions(obj: KubeObject): Condition[] {
  return toConditions(list(obj, 'status', 'conditions'));
}

export function condition(obj: KubeObject, type: string): Condition | undefined {
  return conditions(obj).find((c) => c.type === type);
}

export function isTrue(obj: KubeObject, type: string): boolean {
  return condition(obj, type)?.status === 'True';
}
