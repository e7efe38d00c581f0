// What can go wrong talking to Fjord's API, as errors a person can act on: the server's own `error`
// text and status, a clear word for 401/403, and the URL when nothing listens there.

/** The server answered with an error status; `message` is its `error` text (or a summary). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly serverMessage: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(describeStatus(status, serverMessage, method, path));
  }
}

/** The server could not be reached at all (refused, unknown host, reset, timeout). */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  constructor(readonly url: string, readonly reason: string, options?: { cause: unknown }) {
    super(`cannot reach the Fjord API at ${url}: ${reason}`, options);
  }
}

function describeStatus(status: number, serverMessage: string, method: string, path: string): string {
  const what = `${method} ${path}`;
  if (status === 401) {
    return `${what}: 401 unauthorized: ${serverMessage || 'missing or unknown token'} (log in with \`fjord login --server URL --token TOKEN\`, or pass --auth-token / FJORD_AUTH_TOKEN)`;
  }
  if (status === 403) return `${what}: 403 forbidden: ${serverMessage || 'the token lacks the permission'}`;
  return `${what}: ${status}${serverMessage ? `: ${serverMessage}` : ''}`;
}

const CONNECT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is `fjord run` serving there?)',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_SOCKET: 'connection closed by the server',
};

/** The network error code anywhere in an error's cause chain (undici wraps them), as a sentence. */
export function connectReason(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur instanceof Error && depth < 6; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code in CONNECT_CODES) return CONNECT_CODES[code];
    cur = cur.cause;
  }
  return undefined;
}

/** The `error` field of an error body, else its text (trimmed, one line). */
export function serverErrorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall through to the text itself
  }
  return body.trim().split('\n')[0]?.slice(0, 300) ?? '';
}
