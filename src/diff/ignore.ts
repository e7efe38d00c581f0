// spec.ignoreDifferences: rules that take fields out of the comparison for matching objects, by JSON
// pointer, by a simple jq path (`.spec.replicas`, `.spec.template.spec.containers[].image`,
// `.metadata.labels["app.kubernetes.io/version"]`) or by the field managers that own them.
import type { IgnoreDifference } from '../api/application.js';
import type { KubeObject } from '../kube/client.js';
import { groupOf } from '../sync/tracking.js';
import { parsePointer, removeAtPointer } from './json-pointer.js';
import { removeFieldsOwnedBy } from './managed-fields.js';

type Step = { kind: 'key'; key: string } | { kind: 'each' } | { kind: 'index'; index: number };

/** Parses the path subset of jq Argo CD users write in jqPathExpressions; anything else is refused with the reason. */
export function parseJqPath(expr: string): Step[] {
  const steps: Step[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\["((?:[^"\\]|\\.)*)"\]|\[(\d*)\]\??/gy;
  const src = expr.trim();
  if (!src.startsWith('.')) throw new Error(`jq path "${expr}" must start with "."`);
  let pos = 0;
  while (pos < src.length) {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new Error(`jq path "${expr}": unsupported syntax at "${src.slice(pos)}" (Fjord supports .key, ["key"], [] and [N])`);
    if (m[1] !== undefined) steps.push({ kind: 'key', key: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: 'key', key: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3] === '') steps.push({ kind: 'each' });
    else steps.push({ kind: 'index', index: Number(m[3]) });
    pos = re.lastIndex;
  }
  return steps;
}

function removeJqPath(doc: unknown, steps: readonly Step[]): void {
  const [step, ...rest] = steps;
  if (!step || doc === null || typeof doc !== 'object') return;
  if (step.kind === 'each') {
    if (Array.isArray(doc)) { if (rest.length === 0) doc.length = 0; else for (const el of doc) removeJqPath(el, rest); }
    return;
  }
  const key = step.kind === 'key' ? step.key : step.index;
  if (rest.length > 0) { removeJqPath((doc as Record<string | number, unknown>)[key], rest); return; }
  if (Array.isArray(doc) && typeof key === 'number') doc.splice(key, 1);
  else Reflect.deleteProperty(doc, key);
}

function ruleMatches(rule: IgnoreDifference, obj: KubeObject): boolean {
  const group = rule.group === '*' ? groupOf(obj.apiVersion) : rule.group;
  return group === groupOf(obj.apiVersion) && (rule.kind === '*' || rule.kind === obj.kind)
    && (rule.name === undefined || rule.name === obj.metadata?.name)
    && (rule.namespace === undefined || rule.namespace === obj.metadata?.namespace);
}

/** Applies the matching rules to `obj` in place; `live` supplies managedFields. */
export function applyIgnoreDifferences(obj: KubeObject, live: KubeObject | undefined, rules: readonly IgnoreDifference[]): void {
  for (const rule of rules) {
    if (!ruleMatches(rule, obj)) continue;
    for (const p of rule.jsonPointers ?? []) removeAtPointer(obj, p);
    for (const e of rule.jqPathExpressions ?? []) removeJqPath(obj, parseJqPath(e));
    if (live && rule.managedFieldsManagers?.length) removeFieldsOwnedBy(obj, live, rule.managedFieldsManagers);
  }
}

function copyJqPath(from: unknown, to: unknown, steps: readonly Step[]): void {
  const [step, ...rest] = steps;
  if (!step || from === null || typeof from !== 'object' || to === null || typeof to !== 'object') return;
  if (step.kind === 'each') {
    if (Array.isArray(from) && Array.isArray(to)) {
      if (rest.length === 0) { to.splice(0, to.length, ...(structuredClone(from) as unknown[])); return; }
      for (let i = 0; i < Math.min(from.length, to.length); i++) copyJqPath(from[i], to[i], rest);
    }
    return;
  }
  const key = step.kind === 'key' ? step.key : step.index;
  const src = (from as Record<string | number, unknown>)[key];
  if (rest.length > 0) { copyJqPath(src, (to as Record<string | number, unknown>)[key], rest); return; }
  if (src === undefined) Reflect.deleteProperty(to, key);
  else (to as Record<string | number, unknown>)[key] = structuredClone(src);
}

function pointerSteps(pointer: string): Step[] {
  return parsePointer(pointer).map((t) => (/^\d+$/.test(t) ? { kind: 'index', index: Number(t) } as const : { kind: 'key', key: t } as const));
}

/**
 * RespectIgnoreDifferences=true: before applying, the ignored fields of `desired` take their live
 * values, so a sync does not overwrite what ignoreDifferences says belongs to someone else (JSON
 * pointers and jq paths; fields ignored by field manager are left to server-side apply's ownership).
 */
export function keepIgnoredFromLive(desired: KubeObject, live: KubeObject, rules: readonly IgnoreDifference[]): KubeObject {
  const out = structuredClone(desired);
  for (const rule of rules) {
    if (!ruleMatches(rule, desired)) continue;
    for (const p of rule.jsonPointers ?? []) copyJqPath(live, out, pointerSteps(p));
    for (const e of rule.jqPathExpressions ?? []) copyJqPath(live, out, parseJqPath(e));
  }
  return out;
}
