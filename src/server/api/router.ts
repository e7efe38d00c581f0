// A table of API routes: method plus a path pattern with `:name` segments. Matching is exact per
// segment; segments are URL-decoded once.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/tokens.js';

export interface Request {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly who: Principal;
}

export type Handler = (r: Request) => Promise<void>;

interface Entry { method: string; segments: string[]; handler: Handler; pattern: string }

export interface Match { handler: Handler; params: Record<string, string>; pattern: string }

export class Router {
  private readonly entries: Entry[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.entries.push({ method, segments: pattern.split('/').filter((s) => s !== ''), handler, pattern });
    return this;
  }

  /** Every registered route as `METHOD pattern`, in the order added (for tests that cover them all). */
  patterns(): string[] {
    return this.entries.map((e) => `${e.method} ${e.pattern}`);
  }

  /** The handler for a request, `'method'` when the path exists for other methods, or undefined. */
  match(method: string, pathname: string): Match | 'method' | undefined {
    const parts = pathname.split('/').filter((s) => s !== '');
    let pathFound = false;
    for (const e of this.entries) {
      const params = matchSegments(e.segments, parts);
      if (!params) continue;
      if (e.method === method) return { handler: e.handler, params, pattern: e.pattern };
      pathFound = true;
    }
    return pathFound ? 'method' : undefined;
  }
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, seg] of pattern.entries()) {
    const part = parts[i] ?? '';
    if (seg.startsWith(':')) {
      try {
        params[seg.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (seg !== part) {
      return undefined;
    }
  }
  return params;
}
