// Reads the server-sent event stream /api/v1/stream/applications with fetch() and a ReadableStream
// (EventSource cannot send the Authorization header). Reconnects with a short backoff until stopped.
import { authHeaders, getToken, setToken } from './client';
import type { StreamEvent } from './types';

export interface StreamOptions { name?: string; projects?: string[] }

export function watchApplications(opts: StreamOptions, onEvent: (e: StreamEvent) => void, onState?: (live: boolean) => void): () => void {
  const ctl = new AbortController();
  const p = new URLSearchParams();
  if (opts.name !== undefined) p.set('name', opts.name);
  for (const pr of opts.projects ?? []) p.append('project', pr);
  const url = `/api/v1/stream/applications${p.size > 0 ? `?${p.toString()}` : ''}`;
  void loop(url, ctl.signal, onEvent, onState ?? ((): void => undefined));
  return () => { ctl.abort(); };
}

async function loop(url: string, signal: AbortSignal, onEvent: (e: StreamEvent) => void, onState: (live: boolean) => void): Promise<void> {
  let delay = 500;
  const stopped = (): boolean => signal.aborted || getToken() === null;
  while (!stopped()) {
    try {
      await readOnce(url, signal, onEvent, () => { delay = 500; onState(true); });
    } catch { /* network error or abort: retry below */ }
    onState(false);
    if (stopped()) return;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}

async function readOnce(url: string, signal: AbortSignal, onEvent: (e: StreamEvent) => void, onOpen: () => void): Promise<void> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...authHeaders() }, signal });
  if (res.status === 401) { setToken(null); return; }
  if (!res.ok || !res.body) throw new Error(`stream ${url}: HTTP ${res.status}`);
  onOpen();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    // Walk the complete messages by index and cut the buffer once: a chunk can hold thousands.
    let start = 0;
    let end = buffer.indexOf('\n\n', start);
    while (end >= 0) {
      dispatch(buffer.slice(start, end), onEvent);
      start = end + 2;
      end = buffer.indexOf('\n\n', start);
    }
    if (start > 0) buffer = buffer.slice(start);
  }
}

/** One SSE message: `data:` lines joined; comment lines (`: ping`) ignored. */
function dispatch(message: string, onEvent: (e: StreamEvent) => void): void {
  const data = message.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
  if (data === '') return;
  try {
    const parsed = JSON.parse(data) as { result?: StreamEvent };
    if (parsed.result?.application) onEvent(parsed.result);
  } catch { /* a malformed message is skipped; the next full state comes with the next event */ }
}
