// Small text surgery on a YAML file: the Document API says where each node is (its source range), and
// edits replace only those bytes, so indentation, quoting, comments and key order elsewhere stay as the
// author wrote them. Re-serialising the document would normalise all of that.
import { stringify, type Node } from 'yaml';

/** Replace text[start, end) with `text`; an insertion has start === end. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

export function column(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

export function spaces(n: number): string {
  return ' '.repeat(Math.max(0, n));
}

/** Position of the newline that ends the node's last line (after any comment on it), or the end of the text. */
export function endOfLine(text: string, node: Node): number {
  const [start, , nodeEnd] = node.range ?? [0, 0, 0];
  let e = nodeEnd;
  while (e > start && /\s/.test(text.charAt(e - 1))) e--;
  const nl = text.indexOf('\n', e);
  return nl < 0 ? text.length : nl;
}

/** The text that spans the node's value (quotes included, comments excluded). */
export function source(text: string, node: Node): string {
  const [start, valueEnd] = node.range ?? [0, 0];
  return text.slice(start, valueEnd);
}

/** True when the string reads back as the same string under YAML 1.2 and 1.1 (what kustomize's Go YAML reads). */
function plainSafe(value: string): boolean {
  if (value === '') return false;
  const opts = { lineWidth: 0 } as const;
  return stringify(value, opts).trimEnd() === value && stringify(value, { ...opts, version: '1.1' }).trimEnd() === value;
}

/** A scalar's text: the given quoting style where possible, plain when that reads back unchanged, else double-quoted. */
export function scalarText(value: string, style?: string): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replaceAll("'", "''")}'`;
  if (style === 'QUOTE_DOUBLE' || !plainSafe(value)) return JSON.stringify(value);
  return value;
}

/** Applies edits that do not overlap; an insertion at the start of a removal lands before what is left. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const ordered = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of ordered) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
