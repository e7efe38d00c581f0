import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, LineTooLongError, readLines } from './lines.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

async function* chunked(parts: readonly (Uint8Array | string)[]): AsyncGenerator<Uint8Array | string> {
  for (const p of parts) {
    await Promise.resolve();
    yield p;
  }
}

async function collect(parts: readonly (Uint8Array | string)[], max?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(chunked(parts), max)) out.push(line);
  return out;
}

test('lines split across chunks are joined, and several lines in one chunk are split', async () => {
  const lines = await collect(['{"a":', '1}\n{"b"', ':2}\n{"c":3}\n{"d"', ':4}\n']);
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}', '{"d":4}']);
});

test('every possible split point of a stream gives the same lines', async () => {
  const text = '{"type":"ADDED","object":{"n":"ä€😀"}}\n{"type":"BOOKMARK"}\r\n\n{"x":1}';
  const whole = bytes(text);
  for (let cut = 0; cut <= whole.length; cut++) {
    const lines = await collect([whole.slice(0, cut), whole.slice(cut)]);
    assert.deepEqual(lines, ['{"type":"ADDED","object":{"n":"ä€😀"}}', '{"type":"BOOKMARK"}', '{"x":1}'], `cut at byte ${cut}`);
  }
});

test('a stream fed one byte at a time keeps multi-byte characters intact', async () => {
  const whole = bytes('ünïcödé 😀\nzwei\n');
  const lines = await collect([...whole].map((b) => Uint8Array.of(b)));
  assert.deepEqual(lines, ['ünïcödé 😀', 'zwei']);
});

test('blank lines and a CRLF ending are dropped; a last line without newline is kept', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('a\r\n\n  \nb'), ['a']);
  assert.deepEqual(s.push(''), []);
  assert.deepEqual(s.end(), ['b']);
  assert.deepEqual(s.end(), []);
});

test('a line longer than the limit is refused instead of buffered without bound', async () => {
  await assert.rejects(collect(['x'.repeat(600), 'y'.repeat(600)], 1000), LineTooLongError);
  assert.deepEqual(await collect(['x'.repeat(600), '\n', 'y'.repeat(600), '\n'], 1000), ['x'.repeat(600), 'y'.repeat(600)]);
});
