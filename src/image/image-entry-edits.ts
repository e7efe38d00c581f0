// The edits that turn one `images:` entry into another, and that add new entries, written in the
// style the file already uses (block or flow, its indentation, its quoting).
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { ImageEntry } from './image-ref.js';
import { column, endOfLine, lineStart, scalarText, source, spaces, type Edit } from './yaml-text.js';

/** The keys of an entry that `image set` owns; tagSuffix is dropped like kustomize drops it. */
export const MANAGED_KEYS = ['newName', 'newTag', 'digest', 'tagSuffix'] as const;
type ManagedKey = (typeof MANAGED_KEYS)[number];

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

export function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) && typeof p.key.value === 'string' ? p.key.value : undefined;
}

/** A scalar's string value; undefined for YAML null (`~`, `null`, nothing). */
export function scalarValue(text: string, node: unknown): string | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  if (node.type === 'PLAIN' && NULLS.has(source(text, node))) return undefined;
  return node.value;
}

function nodeOf(p: Pair): Node {
  return (p.value ?? p.key) as Node;
}

function wanted(after: ImageEntry, key: ManagedKey): string | undefined {
  return key === 'tagSuffix' ? undefined : after[key];
}

function replaceValue(text: string, p: Pair, value: string): Edit {
  const v = p.value as Node;
  const [start, end] = v.range ?? [0, 0];
  const style = isScalar(v) ? v.type : undefined;
  const lead = start === end ? ' ' : '';
  return { start, end, text: lead + scalarText(value, style) };
}

function keyStart(p: Pair | undefined): number {
  return (p?.key as Node | undefined)?.range?.[0] ?? 0;
}

function ownsLine(text: string, m: YAMLMap, p: Pair): boolean {
  const start = keyStart(p);
  return !m.flow && text.slice(lineStart(text, start), start).trim() === '';
}

/** Removes the pairs first..last (consecutive): whole lines in a block map, else up to the next kept pair. */
function removeRun(text: string, m: YAMLMap, first: number, last: number): Edit[] {
  const run = m.items.slice(first, last + 1);
  if (run.every((p) => ownsLine(text, m, p))) {
    return run.map((p) => ({ start: lineStart(text, keyStart(p)), end: Math.min(text.length, endOfLine(text, nodeOf(p)) + 1), text: '' }));
  }
  const next = m.items[last + 1];
  if (next) return [{ start: keyStart(m.items[first]), end: keyStart(next), text: '' }];
  const prev = m.items[first - 1] as Pair;
  return [{ start: nodeOf(prev).range?.[1] ?? 0, end: nodeOf(m.items[last] as Pair).range?.[1] ?? 0, text: '' }];
}

function removeAll(text: string, m: YAMLMap, removed: ReadonlySet<number>): Edit[] {
  const edits: Edit[] = [];
  const sorted = [...removed].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    edits.push(...removeRun(text, m, sorted[i] ?? 0, sorted[j] ?? 0));
    i = j + 1;
  }
  return edits;
}

function insertPairs(text: string, m: YAMLMap, pairs: readonly (readonly [string, string])[], removed: ReadonlySet<number>): Edit {
  let anchor = m.items.length - 1;
  while (anchor > 0 && removed.has(anchor)) anchor--;
  const last = nodeOf(m.items[anchor] as Pair);
  if (m.flow) {
    const at = last.range?.[1] ?? 0;
    return { start: at, end: at, text: pairs.map(([k, v]) => `, ${k}: ${scalarText(v)}`).join('') };
  }
  const indent = column(text, (m.items[0]?.key as Node).range?.[0] ?? 0);
  const at = endOfLine(text, last);
  return { start: at, end: at, text: pairs.map(([k, v]) => `\n${spaces(indent)}${k}: ${scalarText(v)}`).join('') };
}

/** Edits that make the entry `m` read as `after`: values replaced in place, missing keys appended, dropped keys removed. */
export function entryEdits(text: string, m: YAMLMap, after: ImageEntry): Edit[] {
  const edits: Edit[] = [];
  const inserts: [string, string][] = [];
  const removed = new Set<number>();
  for (const key of MANAGED_KEYS) {
    const i = m.items.findIndex((p) => keyOf(p) === key);
    const want = wanted(after, key);
    const p = m.items[i];
    if (!p) {
      if (want !== undefined) inserts.push([key, want]);
    } else if (scalarValue(text, p.value) !== want) {
      if (want === undefined) removed.add(i); else edits.push(replaceValue(text, p, want));
    }
  }
  edits.push(...removeAll(text, m, removed));
  if (inserts.length > 0) edits.push(insertPairs(text, m, inserts, removed));
  return edits;
}

function entryPairs(e: ImageEntry): [string, string][] {
  const pairs: [string, string][] = [['name', e.name]];
  if (e.newName !== undefined) pairs.push(['newName', e.newName]);
  if (e.newTag !== undefined) pairs.push(['newTag', e.newTag]);
  if (e.digest !== undefined) pairs.push(['digest', e.digest]);
  return pairs;
}

export function flowEntry(e: ImageEntry): string {
  return `{${entryPairs(e).map(([k, v]) => `${k}: ${scalarText(v)}`).join(', ')}}`;
}

/** Block entries, one per image, each starting with a newline: `-` at dashCol, keys at keyCol. */
export function blockEntries(entries: readonly ImageEntry[], dashCol: number, keyCol: number): string {
  return entries.map((e) => entryPairs(e)
    .map(([k, v], i) => `\n${i === 0 ? `${spaces(dashCol)}-${spaces(keyCol - dashCol - 1)}` : spaces(keyCol)}${k}: ${scalarText(v)}`)
    .join('')).join('');
}

/** Edit that appends entries to an existing `images:` sequence, in the sequence's own style. */
export function appendEdits(text: string, seq: YAMLSeq, entries: readonly ImageEntry[]): Edit {
  const first = seq.items[0] as Node | undefined;
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  if (seq.flow || !first || !last) {
    const body = entries.map(flowEntry).join(', ');
    if (!last) { const at = (seq.range?.[0] ?? 0) + 1; return { start: at, end: at, text: body }; }
    const at = last.range?.[1] ?? 0;
    return { start: at, end: at, text: `, ${body}` };
  }
  const firstStart = first.range?.[0] ?? 0;
  const dashCol = column(text, text.lastIndexOf('-', firstStart - 1));
  const at = endOfLine(text, last);
  if (isMap(first) && first.flow) {
    return { start: at, end: at, text: entries.map((e) => `\n${spaces(dashCol)}- ${flowEntry(e)}`).join('') };
  }
  const keyCol = isMap(first) ? column(text, firstStart) : dashCol + 2;
  return { start: at, end: at, text: blockEntries(entries, dashCol, keyCol) };
}

/** How far this file indents a block sequence's `-` under its key (0 for kustomize's own style). */
export function sequenceIndent(text: string, root: YAMLMap): number {
  for (const p of root.items) {
    if (isSeq(p.value) && !p.value.flow && p.value.items.length > 0) {
      const itemStart = (p.value.items[0] as Node).range?.[0] ?? 0;
      return column(text, text.lastIndexOf('-', itemStart - 1)) - column(text, (p.key as Node).range?.[0] ?? 0);
    }
  }
  return 0;
}
