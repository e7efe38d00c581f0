// Turns manifest text (a file, or kustomize/helm output) into Kubernetes objects the way kubectl reads
// it: YAML 1.1 (yes/no are booleans), unique keys, the alias-bomb guard kept, empty documents skipped,
// `kind: List` flattened, and every failure naming the file, the document and the line.
import { Composer, LineCounter, Parser, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions, type YAMLError } from 'yaml';
import type { KubeObject } from '../kube/client.js';
import { RenderError, type RenderedObject } from './types.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENTS = 10_000;
/** All manifest files of one directory app together (the same cap as kustomize's and helm's output). */
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/** Deepest nesting of maps and lists accepted in one object (deep CRD schemas stay far below). */
export const MAX_NESTING_DEPTH = 200;
/** Aliases expanded per document (the `yaml` package's default, named here so it is documented). */
export const MAX_ALIAS_COUNT = 100;

// kubectl decodes with go-yaml v2 into interface{}: no sexagesimal numbers (1:20 stays a string) and
// timestamps stay strings, so those two YAML 1.1 tags are dropped.
const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: true,
  customTags: (tags) => tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && !('format' in t && t.format === 'TIME'))),
};

/** Counts documents across one render, so a repository cannot make Fjord parse without end. */
export class DocumentBudget {
  private used = 0;

  constructor(private readonly limit = MAX_DOCUMENTS) {}

  take(file: string, count = 1): void {
    this.used += count;
    if (this.used > this.limit) throw new RenderError(`${file}: more than ${this.limit} documents in this application; refusing to render it`, file);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function missingFields(obj: Record<string, unknown>): string[] {
  return ['apiVersion', 'kind'].filter((f) => typeof obj[f] !== 'string' || obj[f] === '');
}

function checkObject(value: unknown, where: string, file: string): KubeObject {
  if (!isRecord(value)) throw new RenderError(`${where}: expected a Kubernetes object, found ${describe(value)}`, file);
  const missing = missingFields(value);
  if (missing.length > 0) throw new RenderError(`${where}: not a Kubernetes object: missing ${missing.join(' and ')}`, file);
  return value;
}

function isList(obj: KubeObject): boolean {
  return typeof obj.kind === 'string' && obj.kind.endsWith('List') && (Array.isArray(obj['items']) || obj.kind === 'List');
}

/** Whether `value` nests maps and lists deeper than `limit`; iterative, so any depth is safe to check. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function tooDeep(where: string, file: string): RenderError {
  return new RenderError(`${where}: nested more than ${MAX_NESTING_DEPTH} levels deep; refusing to render it`, file);
}

/** One decoded document → its objects: none for an empty document, the items of a List, else itself. */
export function toObjects(value: unknown, file: string, index: number, budget: DocumentBudget): RenderedObject[] {
  if (value === null || value === undefined) return [];
  const where = `${file}: document ${index + 1}`;
  const obj = checkObject(value, where, file);
  if (nestedDeeperThan(obj, MAX_NESTING_DEPTH)) throw tooDeep(where, file);
  if (!isList(obj)) return [{ object: obj, file, index }];
  const items: unknown = obj['items'] ?? [];
  if (!Array.isArray(items)) throw new RenderError(`${where}: ${obj.kind ?? 'List'} items must be a list`, file);
  budget.take(file, items.length);
  return items.map((item, i) => ({ object: checkObject(item, `${where}: item ${i + 1}`, file), file, index }));
}

function yamlError(err: YAMLError, lines: LineCounter, where: string, file: string): RenderError {
  const pos = lines.linePos(err.pos[0]);
  // The parser recurses per level: a stack overflow means nesting far deeper than any manifest needs.
  if (err.message.includes('Maximum call stack size exceeded')) return tooDeep(`${where}: at line ${pos.line}`, file);
  return new RenderError(`${where}: YAML error at line ${pos.line}, column ${pos.col}: ${err.message}`, file, { cause: err });
}

function decode(doc: Document.Parsed, lines: LineCounter, where: string, file: string): unknown {
  const [first] = doc.errors;
  if (first) throw yamlError(first, lines, where, file);
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new RenderError(`${where}: ${(e as Error).message}`, file, { cause: e });
  }
}

function* documentsOf(text: string, file: string, budget: DocumentBudget): Generator<RenderedObject[]> {
  const lines = new LineCounter();
  const composer = new Composer(YAML_OPTIONS);
  let index = 0;
  for (const doc of composer.compose(new Parser(lines.addNewLine).parse(text))) {
    budget.take(file);
    const value = decode(doc, lines, `${file}: document ${index + 1}`, file);
    yield toObjects(value, file, index, budget);
    index++;
  }
}

/** Parses a multi-document YAML stream; documents are decoded one at a time so the budget stops runaway input early. */
export function parseYamlStream(text: string, file: string, budget: DocumentBudget): RenderedObject[] {
  return [...documentsOf(text, file, budget)].flat();
}

/** Documents parsed between two yields to the event loop: a big stream must not stall every other reconcile. */
const DOCUMENTS_PER_TURN = 100;

/** parseYamlStream for the controller: gives the event loop a turn every DOCUMENTS_PER_TURN documents. */
export async function parseYamlStreamYielding(text: string, file: string, budget: DocumentBudget): Promise<RenderedObject[]> {
  const out: RenderedObject[] = [];
  let n = 0;
  for (const objects of documentsOf(text, file, budget)) {
    out.push(...objects);
    if (++n % DOCUMENTS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

// Node 20's JSON.parse reports a position for some errors only; YAML (a JSON superset) locates most others.
function jsonErrorLine(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message)?.[1];
  if (at !== undefined) return ` at line ${text.slice(0, Number(at)).split('\n').length}`;
  const lines = new LineCounter();
  for (const doc of new Composer({ version: '1.2' }).compose(new Parser(lines.addNewLine).parse(text))) {
    const [first] = doc.errors;
    if (first) return ` at line ${lines.linePos(first.pos[0]).line}`;
  }
  return '';
}

// JSON.parse keeps the last of duplicate keys silently; kubectl's strict decoding and YAML refuse them.
function refuseDuplicateKeys(text: string, file: string): void {
  const lines = new LineCounter();
  for (const doc of new Composer({ version: '1.2', uniqueKeys: true }).compose(new Parser(lines.addNewLine).parse(text))) {
    const dup = doc.errors.find((e) => e.code === 'DUPLICATE_KEY');
    if (dup) throw new RenderError(`${file}: JSON error at line ${lines.linePos(dup.pos[0]).line}: duplicate key (${dup.message})`, file);
  }
}

/** Parses a .json file: one object (or List), with JSON's own number and string rules. */
export function parseJson(text: string, file: string, budget: DocumentBudget): RenderedObject[] {
  budget.take(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RenderError(`${file}: JSON error${jsonErrorLine(text, (e as Error).message)}: ${(e as Error).message}`, file, { cause: e });
  }
  if (nestedDeeperThan(value, MAX_NESTING_DEPTH)) throw tooDeep(`${file}: document 1`, file);
  refuseDuplicateKeys(text, file);
  return toObjects(value, file, 0, budget);
}
