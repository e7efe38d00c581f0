// The pkt-line framing and ls-refs parsing of the in-process ls-remote: what a server sends is taken
// apart exactly, and anything malformed becomes a fallback to the git CLI, never a wrong answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LsRefsFallback, lsRefsRequest, parseCapabilities, parseLsRefs, parsePktLines, refMap } from './ls-refs-http.js';

const A = 'a'.repeat(40);
const B = 'B'.repeat(40);
const C = 'c'.repeat(40);

function pkt(text: string): string {
  return `${(Buffer.byteLength(text) + 4).toString(16).padStart(4, '0')}${text}`;
}

function body(...parts: string[]): Buffer {
  return Buffer.from(parts.join(''));
}

test('pkt-lines: data (newline dropped), flush, delim and response-end', () => {
  assert.deepEqual(parsePktLines(body(pkt('version 2\n'), pkt('ls-refs=unborn'), '0001', '0002', '0000')), [
    { kind: 'data', text: 'version 2' },
    { kind: 'data', text: 'ls-refs=unborn' },
    { kind: 'delim' },
    { kind: 'end' },
    { kind: 'flush' },
  ]);
  assert.deepEqual(parsePktLines(Buffer.alloc(0)), []);
});

test('malformed pkt-lines are a fallback: bad hex, truncated length, a line longer than the body, length 3', () => {
  const cases = [body('zz0a', 'hello'), body(pkt('ok\n'), '00'), body('0010', 'short'), body('0003'), body(pkt('ok\n'), '0x01')];
  for (const input of cases) assert.throws(() => parsePktLines(input), LsRefsFallback, JSON.stringify(input.toString()));
});

test('capabilities: v2 with or without the "# service=" preamble; v0, no version or no flush is a fallback', () => {
  const caps = parseCapabilities(parsePktLines(body(pkt('version 2\n'), pkt('agent=git/2.39\n'), pkt('ls-refs=unborn\n'), pkt('server-option\n'), '0000')));
  assert.deepEqual([...caps], [['agent', 'git/2.39'], ['ls-refs', 'unborn'], ['server-option', '']]);
  const preamble = parseCapabilities(parsePktLines(body(pkt('# service=git-upload-pack\n'), '0000', pkt('version 2\n'), pkt('ls-refs\n'), '0000')));
  assert.ok(preamble.has('ls-refs'));
  const v0 = body(pkt('# service=git-upload-pack\n'), '0000', pkt(`${A} HEAD\0multi_ack symref=HEAD:refs/heads/main\n`), '0000');
  assert.throws(() => parseCapabilities(parsePktLines(v0)), /does not speak protocol v2/);
  assert.throws(() => parseCapabilities(parsePktLines(body(pkt('version 2\n'), pkt('ls-refs\n')))), /does not end with a flush/);
  assert.throws(() => parseCapabilities(parsePktLines(body(pkt('# service=git-upload-pack\n'), pkt('version 2\n')))), /no flush/);
});

test('ls-refs lines: symref target and peeled tag read; annotated tags map to the commit like ls-remote', () => {
  const refs = parseLsRefs(parsePktLines(body(
    pkt(`${A} HEAD symref-target:refs/heads/main\n`),
    pkt(`${A} refs/heads/main\n`),
    pkt(`${B} refs/tags/v1 peeled:${C}\n`),
    pkt(`${C} refs/tags/v2\n`),
    '0000',
  )));
  assert.deepEqual(refs[0], { name: 'HEAD', oid: A, symrefTarget: 'refs/heads/main' });
  assert.deepEqual(refs[2], { name: 'refs/tags/v1', oid: B.toLowerCase(), peeled: C });
  assert.deepEqual([...refMap(refs)], [['HEAD', A], ['refs/heads/main', A], ['refs/tags/v1', C], ['refs/tags/v2', C]]);
  assert.deepEqual(parseLsRefs(parsePktLines(body('0000'))), [], 'an empty repository has no refs');
});

test('malformed ls-refs responses are a fallback: short oid, no name, bad peeled, ERR, delim, no final flush', () => {
  const cases = [
    body(pkt('abc refs/heads/main\n'), '0000'),
    body(pkt(`${A}\n`), '0000'),
    body(pkt(`${A} refs/tags/v1 peeled:xyz\n`), '0000'),
    body(pkt('ERR upload-pack: not our ref\n'), '0000'),
    body(pkt(`${A} refs/heads/main\n`), '0001', '0000'),
    body(pkt(`${A} refs/heads/main\n`)),
  ];
  for (const input of cases) assert.throws(() => parseLsRefs(parsePktLines(input)), LsRefsFallback, input.toString());
});

test('the ls-refs request asks for every ref, peeled, with symrefs, in the advertised object format', () => {
  assert.equal(lsRefsRequest(undefined).toString(), '0014command=ls-refs\n00010009peel\n000csymrefs\n0000');
  assert.equal(lsRefsRequest('sha1').toString(), '0014command=ls-refs\n0017object-format=sha1\n00010009peel\n000csymrefs\n0000');
});
