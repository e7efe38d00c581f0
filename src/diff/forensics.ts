// Drift forensics: when live differs from Git, which field managers own the differing fields, and
// when they last wrote. The answer comes from the object's own managedFields, so it names
// `kubectl-edit`, `kubectl-scale`, a mutating controller or a person's tool, with the time.
import type { KubeObject } from '../kube/client.js';
import { normalizeForCompare } from './normalize.js';

export interface DriftAuthor {
  readonly manager: string;
  readonly operation: string;
  readonly time?: string;
  /** Dotted paths of the differing fields this manager owns, e.g. `spec.replicas`. */
  readonly fields: string[];
}

interface ManagedFieldsEntry { manager?: string; operation?: string; time?: string; fieldsV1?: Record<string, unknown> }

/** Leaf paths where two JSON values differ (arrays compared by index). */
export function differingPaths(a: unknown, b: unknown, prefix: string[] = []): string[][] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const objects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!objects) return [prefix];
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  return [...keys].flatMap((k) => differingPaths(ao[k], bo[k], [...prefix, k]));
}

/** Whether the fieldsV1 tree owns `path` (or a field under it, or one of its parents as a leaf). */
function owns(fields: Record<string, unknown>, path: readonly string[], live: unknown): boolean {
  if (path.length === 0) return true;
  const [head, ...rest] = path;
  if (head === undefined) return true;
  if (Array.isArray(live)) {
    const element = live[Number(head)] as unknown;
    return Object.entries(fields).some(([token, sub]) => token !== '.' && elementMatches(token, element, Number(head)) && owns(sub as Record<string, unknown>, rest, element));
  }
  const sub = fields[`f:${head}`];
  if (sub === undefined) return false;
  const subFields = sub as Record<string, unknown>;
  if (Object.keys(subFields).length === 0) return true;
  return owns(subFields, rest, (live as Record<string, unknown> | undefined)?.[head]);
}

function elementMatches(token: string, element: unknown, index: number): boolean {
  try {
    if (token.startsWith('i:')) return Number(token.slice(2)) === index;
    if (token.startsWith('v:')) return JSON.stringify(JSON.parse(token.slice(2))) === JSON.stringify(element);
    if (token.startsWith('k:')) {
      const keys = JSON.parse(token.slice(2)) as Record<string, unknown>;
      return element !== null && typeof element === 'object' && Object.entries(keys).every(([k, v]) => JSON.stringify((element as Record<string, unknown>)[k]) === JSON.stringify(v));
    }
  } catch {
    return false;
  }
  return false;
}

/** Who changed what: the managers (other than Fjord's) owning the fields where live differs from the prediction of Git. */
export function driftAuthors(predicted: KubeObject, live: KubeObject, ourManager: string): DriftAuthor[] {
  const paths = differingPaths(normalizeForCompare(predicted), normalizeForCompare(live)).filter((p) => p.length > 0);
  const entries = ((live.metadata?.['managedFields'] ?? []) as ManagedFieldsEntry[]).filter((e) => e.manager && e.manager !== ourManager && e.fieldsV1);
  const authors: DriftAuthor[] = [];
  for (const e of entries) {
    const fields = paths.filter((p) => owns(e.fieldsV1 ?? {}, p, live)).map((p) => p.join('.'));
    if (fields.length > 0) authors.push({ manager: e.manager ?? '', operation: e.operation ?? '', ...(e.time ? { time: e.time } : {}), fields });
  }
  return authors;
}

export function describeDrift(authors: readonly DriftAuthor[]): string {
  if (authors.length === 0) return 'changed outside Git (no field manager recorded)';
  return authors.map((a) => `${a.fields.join(', ')} changed by ${a.manager}${a.operation ? ` (${a.operation})` : ''}${a.time ? ` at ${a.time}` : ''}`).join('; ');
}
