// Sets images in a kustomization's `images:` list the way `kustomize edit set image` does, but as
// minimal edits of the file's text: an existing entry is updated in place, a new one is appended, and
// everything else (comments, indentation, quoting, key order, other fields) is left byte for byte.
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { IMAGE_SET_EXIT, ImageSetError } from './errors.js';
import { resolveKeep, type ImageEntry } from './image-ref.js';
import { appendEdits, blockEntries, entryEdits, flowEntry, keyOf, MANAGED_KEYS, scalarValue, sequenceIndent } from './image-entry-edits.js';
import { applyEdits, column, endOfLine, type Edit } from './yaml-text.js';

export type ImageAction = 'added' | 'updated' | 'unchanged';

export interface ImageChange {
  readonly name: string;
  readonly action: ImageAction;
  readonly before?: ImageEntry;
  readonly after: ImageEntry;
}

export interface SetImagesResult {
  /** The new text of the file; identical to the input when nothing changed. */
  readonly text: string;
  readonly changes: readonly ImageChange[];
}

interface Parsed {
  readonly doc: Document;
  readonly root: YAMLMap | undefined;
  readonly imagesPair: Pair | undefined;
  readonly seq: YAMLSeq | undefined;
  readonly entries: readonly (ImageEntry | undefined)[];
}

function fail(message: string, cause?: unknown): ImageSetError {
  return new ImageSetError(message, IMAGE_SET_EXIT.kustomization, cause === undefined ? undefined : { cause });
}

function readEntry(text: string, item: unknown, index: number, file: string): ImageEntry | undefined {
  if (!isMap(item)) throw fail(`${file}: images[${index}] is not a mapping with a name`);
  const fields: Record<string, string> = {};
  for (const p of item.items) {
    const key = keyOf(p);
    if (key !== 'name' && !(MANAGED_KEYS as readonly string[]).includes(key ?? '')) continue;
    if (p.value !== null && !isScalar(p.value)) throw fail(`${file}: images[${index}].${key ?? ''} is not a string`);
    const v = scalarValue(text, p.value);
    if (v !== undefined && key !== undefined) fields[key] = v;
  }
  const { name, newName, newTag, digest } = fields;
  if (name === undefined) return undefined;
  return { name, ...(newName !== undefined ? { newName } : {}), ...(newTag !== undefined ? { newTag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

function parse(text: string, file: string): Parsed {
  const doc = parseDocument(text, { schema: 'failsafe', prettyErrors: true });
  const err = doc.errors[0];
  if (err) throw fail(`${file}: not valid YAML: ${err.message.split('\n')[0] ?? ''}`, err);
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) throw fail(`${file}: expected a mapping of kustomization fields at the top`);
  const root = contents ?? undefined;
  const imagesPair = root?.items.find((p) => keyOf(p) === 'images');
  const value: unknown = imagesPair?.value;
  const isNull = value === null || value === undefined || (isScalar(value) && scalarValue(text, value) === undefined);
  if (imagesPair && !isNull && !isSeq(value)) throw fail(`${file}: images is not a list`);
  const seq = isSeq(value) ? value : undefined;
  const entries = seq?.items.map((item, i) => readEntry(text, item, i, file)) ?? [];
  return { doc, root, imagesPair, seq, entries };
}

function same(a: ImageEntry | undefined, b: ImageEntry): boolean {
  return a !== undefined && a.newName === b.newName && a.newTag === b.newTag && a.digest === b.digest;
}

/** Edit that adds an `images:` list holding `entries` where the file has none (or an empty one). */
function newListEdit(text: string, p: Parsed, entries: readonly ImageEntry[]): Edit {
  const { root, imagesPair } = p;
  if (root?.flow) {
    const last = root.items[root.items.length - 1];
    const at = last ? ((last.value ?? last.key) as Node).range?.[1] ?? 0 : (root.range?.[0] ?? 0) + 1;
    return { start: at, end: at, text: `${last ? ', ' : ''}images: [${entries.map(flowEntry).join(', ')}]` };
  }
  const keyCol = root?.items[0] ? column(text, (root.items[0].key as Node).range?.[0] ?? 0) : 0;
  const dashCol = keyCol + (root ? sequenceIndent(text, root) : 0);
  const list = blockEntries(entries, dashCol, dashCol + 2);
  if (imagesPair) {
    const start = (imagesPair.key as Node).range?.[1] ?? 0;
    const end = (imagesPair.value as Node | null)?.range?.[1] ?? start;
    return { start, end, text: `:${list}` };
  }
  const last = root?.items[root.items.length - 1];
  if (!last) {
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    return { start: text.length, end: text.length, text: `${sep}images:${list}\n` };
  }
  const at = endOfLine(text, (last.value ?? last.key) as Node);
  return { start: at, end: at, text: `\n${' '.repeat(keyCol)}images:${list}` };
}

function expectedEntries(p: Parsed, updates: ReadonlyMap<number, ImageEntry>, added: readonly ImageEntry[]): (ImageEntry | undefined)[] {
  return [...p.entries.map((e, i) => updates.get(i) ?? e), ...added];
}

function withoutImages(doc: Document): unknown {
  const js = (doc.toJS() ?? {}) as Record<string, unknown>;
  const { images: _images, ...rest } = js;
  return rest;
}

/** Re-reads the edited text and refuses it unless exactly the intended entries changed. */
function verify(before: Parsed, after: string, expected: readonly (ImageEntry | undefined)[], file: string): void {
  let reread: Parsed;
  try {
    reread = parse(after, file);
  } catch (cause) {
    throw new ImageSetError(`${file}: editing images produced invalid YAML; the file was left as it was`, IMAGE_SET_EXIT.failed, { cause });
  }
  const norm = (l: readonly (ImageEntry | undefined)[]): string => JSON.stringify(l.map((e) => e && [e.name, e.newName, e.newTag, e.digest]));
  const restSame = JSON.stringify(withoutImages(before.doc)) === JSON.stringify(withoutImages(reread.doc));
  if (norm(reread.entries) !== norm(expected) || !restSame) {
    throw new ImageSetError(`${file}: could not edit images without changing more than them; the file was left as it was`, IMAGE_SET_EXIT.failed);
  }
}

/** Applies `wanted` (from parseImageArguments) to the text of kustomization `file`; CRLF files stay CRLF. */
export function setImages(text: string, wanted: readonly ImageEntry[], file: string): SetImagesResult {
  if (!text.includes('\r\n')) return setImagesLf(text, wanted, file);
  const r = setImagesLf(text.replaceAll('\r\n', '\n'), wanted, file);
  return { changes: r.changes, text: r.changes.every((c) => c.action === 'unchanged') ? text : r.text.replaceAll('\n', '\r\n') };
}

function setImagesLf(text: string, wanted: readonly ImageEntry[], file: string): SetImagesResult {
  const p = parse(text, file);
  const edits: Edit[] = [];
  const updates = new Map<number, ImageEntry>();
  const added: ImageEntry[] = [];
  const changes: ImageChange[] = [];
  for (const w of wanted) {
    const matches = p.entries.flatMap((e, i) => (e?.name === w.name ? [i] : []));
    const first = matches[0] === undefined ? undefined : p.entries[matches[0]];
    const after = resolveKeep(w, first);
    if (!first) { added.push(after); changes.push({ name: w.name, action: 'added', after }); continue; }
    changes.push({ name: w.name, action: same(first, after) ? 'unchanged' : 'updated', before: first, after });
    for (const i of matches) {
      if (same(p.entries[i], after)) continue;
      updates.set(i, after);
      edits.push(...entryEdits(text, p.seq?.items[i] as YAMLMap, after));
    }
  }
  if (added.length > 0) edits.push(p.seq ? appendEdits(text, p.seq, added) : newListEdit(text, p, added));
  if (edits.length === 0) return { text, changes };
  const out = applyEdits(text, edits);
  verify(p, out, expectedEntries(p, updates, added), file);
  return { text: out, changes };
}
