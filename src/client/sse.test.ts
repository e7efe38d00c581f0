// Server-sent events as the API streams them: data lines per event, split anywhere across chunks,
// comments (`: ping`) ignored, an unfinished last event dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEvents } from './sse.js';

async function collect(chunks: string[]): Promise<string[]> {
  async function* body(): AsyncGenerator<Buffer> {
    for (const c of chunks) yield await Promise.resolve(Buffer.from(c));
  }
  const out: string[] = [];
  for await (const e of readEvents(body())) out.push(e);
  return out;
}

test('events are split on blank lines, across chunk boundaries, with comments skipped', async () => {
  assert.deepEqual(await collect([': ping\n\n', 'data: {"a"', ':1}\n\ndata: x\r\n', 'data: y\r\n\r\n', 'data: cut off\n']), ['{"a":1}', 'x\ny']);
  assert.deepEqual(await collect([]), []);
});
