// Setting images edits only the `images:` entries it has to, in the file's own style: comments,
// indentation, flow collections and quoting everywhere else stay byte for byte. Fixtures and the
// expected files are in testdata/image-set/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../dev/paths.js';
import { ImageSetError } from './errors.js';
import { parseImageArguments } from './image-ref.js';
import { setImages } from './kustomization-images.js';

const dir = join(packageRoot(), 'testdata', 'image-set');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'ab'.repeat(32)}`;
const set = (text: string, ...args: string[]): ReturnType<typeof setImages> => setImages(text, parseImageArguments(args), 'kustomization.yaml');

const fixtures: Record<string, string[]> = {
  comments: ['payment-service=ghcr.io/acme/payment-service:1.4.2', `envoy=*@${D1}`, 'newapp=ghcr.io/acme/newapp:2.0'],
  'odd-indent': ['payment-service=ghcr.io/acme/payment-service:1.4.2', `redis=*@${D2}`, `extra=r.io/x@${D2}`],
  flow: ['payment-service=*:1.4.2', 'redis:7.4.0', 'new=ghcr.io/acme/new:1'],
  quotes: ['payment-service=ghcr.io/acme/payment-service:1.4.2', 'worker:1235'],
  'no-images': ['payment-service=ghcr.io/acme/payment-service:1.4.2'],
};

for (const [name, args] of Object.entries(fixtures)) {
  test(`${name}.yaml: only the image entries change, exactly as in ${name}.expected.yaml; a second run changes nothing`, () => {
    const result = set(read(`${name}.yaml`), ...args);
    assert.equal(result.text, read(`${name}.expected.yaml`));
    const again = set(result.text, ...args);
    assert.equal(again.text, result.text);
    assert.ok(again.changes.every((c) => c.action === 'unchanged'), JSON.stringify(again.changes));
  });
}

test('the changes name each image and say whether it was added, updated or unchanged', () => {
  const r = set(read('comments.yaml'), 'payment-service=ghcr.io/acme/payment-service:1.4.2', 'envoy=*@*', 'newapp:1');
  assert.deepEqual(r.changes.map((c) => [c.name, c.action]), [['payment-service', 'updated'], ['envoy', 'unchanged'], ['newapp', 'added']]);
  assert.deepEqual(r.changes[0]?.before, { name: 'payment-service', newName: 'ghcr.io/acme/payment-service', newTag: '1.4.1' });
});

test('setting the value an entry already has returns the very same text', () => {
  const text = read('quotes.yaml');
  const r = set(text, 'payment-service=ghcr.io/acme/payment-service:1.4.1', 'worker:1234');
  assert.equal(r.text, text);
});

test('like kustomize, an argument replaces the whole entry: parts it leaves out are removed, also from the "- " line', () => {
  const text = `images:\n- newTag: "1"   # old\n  digest: ${D1}\n  name: a\n  newName: b\n`;
  assert.equal(set(text, 'a=c').text, 'images:\n- name: a\n  newName: c\n');
  const flow = 'images: [{name: a, newTag: "1", digest: x:y}]\n';
  assert.equal(set(flow, 'a=b').text, 'images: [{name: a, newName: b}]\n');
  assert.equal(set('images:\n- name: a\n  newName: b\n  tagSuffix: -x\n', 'a=*:2').text, 'images:\n- name: a\n  newName: b\n  newTag: "2"\n');
});

test('values that YAML would read as numbers or booleans are quoted, so kustomize reads a string', () => {
  const r = set('images:\n- name: a\n  newTag: x\n', 'a:1.10', 'b:yes', 'c:1234', 'd:v1.2');
  assert.equal(r.text, 'images:\n- name: a\n  newTag: "1.10"\n- name: b\n  newTag: "yes"\n- name: c\n  newTag: "1234"\n- name: d\n  newTag: v1.2\n');
});

test('an empty file, an empty or null images field, a flow root and CRLF line ends all get a valid list', () => {
  assert.equal(set('', 'a:1').text, 'images:\n- name: a\n  newTag: "1"\n');
  assert.equal(set('resources:\n- x\nimages:\n', 'a:1').text, 'resources:\n- x\nimages:\n- name: a\n  newTag: "1"\n');
  assert.equal(set('images: []\n', 'a:1').text, 'images: [{name: a, newTag: "1"}]\n');
  assert.equal(set('images: ~\nnamespace: n\n', 'a:1').text, 'images:\n- name: a\n  newTag: "1"\nnamespace: n\n');
  assert.equal(set('{resources: [x]}\n', 'a:1').text, '{resources: [x], images: [{name: a, newTag: "1"}]}\n');
  assert.equal(set('images:\r\n- name: a # keep\r\n  newTag: "1"\r\n', 'a:2', 'b:3').text, 'images:\r\n- name: a # keep\r\n  newTag: "2"\r\n- name: b\r\n  newTag: "3"\r\n');
  for (const text of [read('comments.yaml'), read('odd-indent.yaml'), read('flow.yaml')]) {
    const before = parse(text) as Record<string, unknown>;
    const after = parse(set(text, 'zz=r.io/zz:9').text) as Record<string, unknown>;
    assert.deepEqual({ ...after, images: undefined }, { ...before, images: undefined });
  }
});

test('a kustomization that is not YAML, not a mapping, or whose images are not a list is refused with exit code 3, naming the file', () => {
  const bad = (text: string, re: RegExp): void => {
    assert.throws(() => set(text, 'a:1'), (e: unknown) => e instanceof ImageSetError && e.exitCode === 3 && /^kustomization\.yaml: /.test(e.message) && re.test(e.message));
  };
  bad('resources: [\n', /not valid YAML: .*line 2/);
  bad('- a\n- b\n', /expected a mapping/);
  bad('images: 3\n', /images is not a list/);
  bad('images:\n- just-a-string\n', /images\[0\] is not a mapping/);
  bad('images:\n- name: a\n  newTag: [1]\n', /images\[0\]\.newTag is not a string/);
});
