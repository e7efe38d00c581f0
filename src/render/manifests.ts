// Turns manifest text (a file, or kustomize/helm output) into Kubernetes objects the way kubectl reads
// it: YAML 1.1 (yes/no are booleans), unique keys, the alias-bomb guard kept, empty documents skipped,
// `kind: List` flattened, and every failure naming the file, the document and the line.
import { Composer, LineCounter, Parser, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions, type YAMLError } from 'yaml';
import type { KubeObject } from '../kube/client.js';
import { RenderError, type RenderedObject } from './types.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENTS = 10_000;

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

/** One decoded document → its objects: none for an empty document, the items of a List, else itself. */
export function toObjects(value: unknown, file: string, index: number, budget: DocumentBudget): RenderedObject[] {
  if (value === null || value === undefined) return [];
  const where = `${file}: document ${index + 1}`;
  const obj = checkObject(value, where, file);
  if (!isList(obj)) return [{ object: obj, file, index }];
  const items: unknown = obj['items'] ?? [];
  if (!Array.isArray(items)) throw new RenderError(`${where}: ${obj.kind ?? 'List'} items must be a list`, file);
  budget.take(file, items.length);
  return items.map((item, i) => ({ object: checkObject(item, `${where}: item ${i + 1}`, file), file, index }));
}

function yamlError(err: YAMLError, lines: LineCounter, where: string, file: string): RenderError {
  const pos = lines.linePos(err.pos[0]);
  return new RenderError(`${where}: YAML error at line ${pos.line}, column ${pos.col}: ${err.message}`, file, { cause: err });
}

function decode(doc: Document.Parsed, lines: LineCounter, where: string, file: string): unknown {
  const [first] = doc.errors;
  if (first) throw yamlError(first, lines, where, file);
  try {
    return doc.toJS();
  } catch (e) {
    throw new RenderError(`${where}: ${(e as Error).message}`, file, { cause: e });
  }
}

/** Parses a multi-document YAML stream; documents are decoded one at a time so the budget stops runaway input early. */
export function parseYamlStream(text: string, file: string, budget: DocumentBudget): RenderedObject[] {
  const lines = new LineCounter();
  const composer = new Composer(YAML_OPTIONS);
  const out: RenderedObject[] = [];
  let index = 0;
  for (const doc of composer.compose(new Parser(lines.addNewLine).parse(text))) {
    budget.take(file);
    const value = decode(doc, lines, `${file}: document ${index + 1}`, file);
    out.push(...toObjects(value, file, index, budget));
    index++;
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

/** Parses a .json file: one object (or List), with JSON's own number and string rules. */
export function parseJson(text: string, file: string, budget: DocumentBudget): RenderedObject[] {
  budget.take(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RenderError(`${file}: JSON error${jsonErrorLine(text, (e as Error).message)}: ${(e as Error).message}`, file, { cause: e });
  }
  return toObjects(value, file, 0, budget);
}
