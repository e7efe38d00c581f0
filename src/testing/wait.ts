// Waiting in tests for something the cluster does asynchronously, with a deadline and a clear failure.
import { waitFor } from '../dev/net.js';

export function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  return waitFor(what, check, { timeoutMs, intervalMs: 250 });
}
