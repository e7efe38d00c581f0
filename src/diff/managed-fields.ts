// Removing the fields that given field managers own (spec.ignoreDifferences[].managedFieldsManagers):
// walks the managedFields `fieldsV1` trees of those managers over the object and deletes the leaves
// they own. `f:name` is a map key, `k:{…}` a list element matched by its key fields, `v:…` a set
// element by value, `i:N` an index; `.` (the element itself) is kept, as its other fields may be ours.
import type { KubeObject } from '../kube/client.js';

type FieldsV1 = Record<string, unknown>;
interface ManagedFieldsEntry { manager?: string; fieldsV1?: FieldsV1 }

function matchesKeys(element: unknown, keys: Record<string, unknown>): boolean {
  if (element === null || typeof element !== 'object') return false;
  const e = element as Record<string, unknown>;
  return Object.entries(keys).every(([k, v]) => JSON.stringify(e[k]) === JSON.stringify(v));
}

function findListIndex(list: unknown[], token: string): number {
  try {
    if (token.startsWith('k:')) return list.findIndex((el) => matchesKeys(el, JSON.parse(token.slice(2)) as Record<string, unknown>));
    if (token.startsWith('v:')) { const v: unknown = JSON.parse(token.slice(2)); return list.findIndex((el) => JSON.stringify(el) === JSON.stringify(v)); }
    if (token.startsWith('i:')) return Number(token.slice(2));
  } catch {
    return -1;
  }
  return -1;
}

function removeOwned(target: unknown, fields: FieldsV1): void {
  if (target === null || typeof target !== 'object') return;
  const doomed: (string | number)[] = [];
  for (const [token, sub] of Object.entries(fields)) {
    if (token === '.') continue;
    const child = childOf(target, token);
    if (child === undefined) continue;
    const subFields = (sub ?? {}) as FieldsV1;
    if (Object.keys(subFields).length === 0) doomed.push(child.key);
    else removeOwned(child.value, subFields);
  }
  if (Array.isArray(target)) {
    for (const i of doomed.filter((d): d is number => typeof d === 'number').sort((a, b) => b - a)) target.splice(i, 1);
  } else {
    for (const k of doomed) Reflect.deleteProperty(target, k);
  }
}

function childOf(target: object, token: string): { key: string | number; value: unknown } | undefined {
  if (Array.isArray(target)) {
    const i = findListIndex(target, token);
    return i >= 0 && i < target.length ? { key: i, value: target[i] } : undefined;
  }
  if (!token.startsWith('f:')) return undefined;
  const key = token.slice(2);
  return key in target ? { key, value: (target as Record<string, unknown>)[key] } : undefined;
}

/** Deletes from `obj` (in place) every field that `managers` own according to `live`'s managedFields. */
export function removeFieldsOwnedBy(obj: KubeObject, live: KubeObject, managers: readonly string[]): void {
  const entries = (live.metadata?.['managedFields'] ?? []) as ManagedFieldsEntry[];
  for (const entry of entries) {
    if (entry.manager && managers.includes(entry.manager) && entry.fieldsV1) removeOwned(obj, entry.fieldsV1);
  }
}
