// Server-sent events: the `data:` payloads of a text/event-stream body, one string per event
// (multi-line data joined with \n), comments (`: ping`) skipped, and an event cut off by the end of
// the stream dropped (as the SSE specification says).

export async function* readEvents(body: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of body) {
    buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
  }
}
