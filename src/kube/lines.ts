// Newline-delimited text from a byte stream whose chunks end anywhere: mid-line, or in the middle of a
// multi-byte UTF-8 character. Memory is bounded by the longest line, and lines are capped.

/** Kubernetes objects are at most ~1.5 MiB in etcd; a watch event line stays well below this. */
export const DEFAULT_MAX_LINE_LENGTH = 16 * 1024 * 1024;

export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`a line is longer than ${limit} characters`);
    this.name = 'LineTooLongError';
  }
}

/**
 * Feeds chunks in, gets complete lines out (without the newline and a trailing `\r`; blank lines are
 * dropped). `end()` returns the last line when the stream did not end with a newline. Each chunk is
 * scanned once, so a long line arriving in many chunks costs linear time.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';

  constructor(private readonly maxLineLength = DEFAULT_MAX_LINE_LENGTH) {}

  push(chunk: Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.keep(lines, this.pending + text.slice(start, nl));
      this.pending = '';
      start = nl + 1;
    }
    this.pending += text.slice(start);
    if (this.pending.length > this.maxLineLength) {
      this.pending = '';
      throw new LineTooLongError(this.maxLineLength);
    }
    return lines;
  }

  end(): string[] {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    const lines: string[] = [];
    this.keep(lines, rest);
    return lines;
  }

  private keep(lines: string[], line: string): void {
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim() !== '') lines.push(trimmed);
  }
}

/** The lines of a byte stream, as they complete. */
export async function* readLines(chunks: AsyncIterable<Uint8Array | string>, maxLineLength = DEFAULT_MAX_LINE_LENGTH): AsyncGenerator<string, void, undefined> {
  const splitter = new LineSplitter(maxLineLength);
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}
