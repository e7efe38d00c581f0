// Self-heal backs off when drift of the same object keeps coming back, so a fight with another
// controller (or a person with a loop) cannot melt the API server: the first revert is immediate, the
// next ones wait 2 s, 6 s, 18 s … (×3, at most 5 min); the count resets after 30 s without a revert of
// that object, so people changing different objects by hand are always reverted at once. Argo CD's
// defaults have the same shape, per Application.
export interface BackoffOptions {
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
  readonly resetAfterMs: number;
}

export const SELF_HEAL_BACKOFF: BackoffOptions = { initialMs: 2000, factor: 3, maxMs: 300_000, resetAfterMs: 30_000 };

export class SelfHealBackoff {
  private readonly attempts = new Map<string, { count: number; lastAt: number }>();

  constructor(private readonly opts: BackoffOptions = SELF_HEAL_BACKOFF, private readonly now: () => number = Date.now) {}

  /** How long to wait before the next self-heal of `key` may run (0 = now). */
  delayMs(key: string): number {
    const a = this.attempts.get(key);
    if (!a || this.now() - a.lastAt > this.opts.resetAfterMs) return 0;
    const wait = Math.min(this.opts.initialMs * this.opts.factor ** (a.count - 1), this.opts.maxMs);
    return Math.max(0, a.lastAt + wait - this.now());
  }

  /** Records that a self-heal of `key` ran now. */
  record(key: string): void {
    const a = this.attempts.get(key);
    const fresh = !a || this.now() - a.lastAt > this.opts.resetAfterMs;
    this.attempts.set(key, { count: fresh ? 1 : a.count + 1, lastAt: this.now() });
  }

  forget(key: string): void {
    this.attempts.delete(key);
  }
}
