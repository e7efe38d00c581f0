import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentBudget, parseJson, parseYamlStream } from './manifests.js';
import { RenderError } from './types.js';

const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function parse(text: string, budget = new DocumentBudget()): ReturnType<typeof parseYamlStream> {
  return parseYamlStream(text, 'apps/x.yaml', budget);
}

function fails(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof RenderError && e.file === 'apps/x.yaml' && pattern.test(e.message));
}

test('a multi-document stream gives one object per non-empty document, with its 0-based index', () => {
  const out = parse(`${cm('a')}---\n# only a comment\n---\n---\nnull\n---\n${cm('b')}`);
  assert.deepEqual(out.map((o) => [o.object.metadata?.name, o.index, o.file]), [['a', 0, 'apps/x.yaml'], ['b', 4, 'apps/x.yaml']]);
});

test('kind: List (and *List with items) is flattened; its items keep the document index', () => {
  const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s}\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: sa}\n';
  const typed = 'apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n';
  const out = parse(`${cm('first')}---\n${list}---\n${typed}---\napiVersion: v1\nkind: List\n`);
  assert.deepEqual(out.map((o) => [o.object.kind, o.index]), [['ConfigMap', 0], ['Secret', 1], ['ServiceAccount', 1], ['ConfigMap', 2]]);
});

test('a List item that is not an object is an error naming the document and item', () => {
  fails(() => parse('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n- hello\n'), /^apps\/x\.yaml: document 1: item 2: expected a Kubernetes object, found the string "hello"$/);
  fails(() => parse('apiVersion: v1\nkind: List\nitems: 3\n'), /document 1: List items must be a list/);
});

test('YAML 1.1 as kubectl reads it: yes/no/on/off booleans, octal ints; times and dates stay strings', () => {
  const [o] = parse('apiVersion: x/v1\nkind: F\nspec:\n  a: yes\n  b: No\n  c: on\n  d: OFF\n  e: y\n  f: 0755\n  g: 12:30\n  h: 2024-01-01\n  i: "yes"\n  j: 1e3\n  k: ~\n');
  assert.deepEqual(o?.object['spec'], { a: true, b: false, c: true, d: false, e: true, f: 493, g: '12:30', h: '2024-01-01', i: 'yes', j: 1000, k: null });
});

test('merge keys work, duplicate keys are an error with the line', () => {
  const [o] = parse('base: &b {x: 1}\napiVersion: v1\nkind: ConfigMap\ndata:\n  <<: *b\n  z: "2"\n  y: "y as a key is true in YAML 1.1"\n');
  assert.deepEqual(o?.object['data'], { x: 1, z: '2', true: 'y as a key is true in YAML 1.1' });
  fails(() => parse('apiVersion: v1\nkind: ConfigMap\nkind: Secret\n'), /^apps\/x\.yaml: document 1: YAML error at line 3, column 1: Map keys must be unique/);
});

test('malformed YAML names the file, the document and the line', () => {
  fails(() => parse(`${cm('ok')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n    indented: wrong\n`), /^apps\/x\.yaml: document 2: YAML error at line 9, column \d+: /);
});

test('a document without apiVersion or kind is an error naming both the file and the document', () => {
  fails(() => parse(`${cm('ok')}---\napiVersion: v1\nmetadata: {name: x}\n`), /^apps\/x\.yaml: document 2: not a Kubernetes object: missing kind$/);
  fails(() => parse('metadata: {name: x}\n'), /document 1: not a Kubernetes object: missing apiVersion and kind$/);
  fails(() => parse('apiVersion: v1\nkind: 7\n'), /missing kind/);
});

test('non-object documents are errors, not silently skipped', () => {
  fails(() => parse('- a\n- b\n'), /^apps\/x\.yaml: document 1: expected a Kubernetes object, found a list$/);
  fails(() => parse(`${cm('a')}---\n42\n`), /document 2: expected a Kubernetes object, found a number$/);
});

test('an alias bomb is stopped by the alias limit, naming the file', () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  fails(() => parse(`${lines.join('\n')}\napiVersion: v1\nkind: ConfigMap\n`), /^apps\/x\.yaml: document 1: .*(alias|resource exhaustion)/i);
});

test('the document budget stops a render with too many documents, also across files', () => {
  const budget = new DocumentBudget(5);
  parse(`${cm('a')}---\n${cm('b')}---\n${cm('c')}`, budget);
  fails(() => parse(`${cm('d')}---\n${cm('e')}---\n${cm('f')}`, budget), /^apps\/x\.yaml: more than 5 documents in this application/);
  fails(() => parse('---\n'.repeat(100_000)), /more than 10000 documents/);
  const list = `apiVersion: v1\nkind: List\nitems:\n${'- {apiVersion: v1, kind: ConfigMap}\n'.repeat(11)}`;
  fails(() => parse(list, new DocumentBudget(10)), /more than 10 documents/);
});

test('JSON files keep JSON number rules and report the line of a syntax error', () => {
  const [o] = parseJson('{"apiVersion": "v1", "kind": "ConfigMap", "data": {"n": "1e5"}, "x": 1e5}', 'apps/c.json', new DocumentBudget());
  assert.equal(o?.object['x'], 100000);
  assert.throws(() => parseJson('{\n  "apiVersion": "v1"\n  "kind": "x"\n}', 'apps/c.json', new DocumentBudget()), /^RenderError: apps\/c\.json: JSON error at line 3: /);
  assert.throws(() => parseJson('{\n  "apiVersion": "v1",\n  "kind": ]\n}', 'apps/c.json', new DocumentBudget()), /^RenderError: apps\/c\.json: JSON error at line 3: /);
  assert.throws(() => parseJson('[1]', 'apps/c.json', new DocumentBudget()), /^RenderError: apps\/c\.json: document 1: expected a Kubernetes object, found a list/);
});
