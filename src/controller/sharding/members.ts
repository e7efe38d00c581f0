// What one replica knows about the others: the newest record of every member Lease (by
// resourceVersion, whether it came from the watch or from a fresh list) and when this replica last saw
// it change, on its own monotonic clock. A lease counts until its duration has passed since that
// observation, so clock skew between machines never shortens it (as client-go's leader election).
import { ownerOf } from './ring.js';
import type { LeaseRecord } from './lease.js';

interface Entry {
  record: LeaseRecord;
  observedAt: number;
  /** Deleted while it still claimed Applications: it counts until it expires, as if its holder had died. */
  deleted: boolean;
}

export class MemberTable {
  private readonly entries = new Map<string, Entry>();

  /** Records a lease seen at `now`; an older resourceVersion than the one held is ignored. Returns whether anything changed. */
  observe(record: LeaseRecord, now: number): boolean {
    const held = this.entries.get(record.name);
    if (held && held.record.resourceVersion >= record.resourceVersion) return false;
    this.entries.set(record.name, { record, observedAt: now, deleted: false });
    return true;
  }

  /**
   * A lease was deleted. A released lease (empty view) leaves at once; one deleted while it still
   * claimed something stays until it expires, since its holder may still be working.
   */
  remove(record: LeaseRecord): boolean {
    const held = this.entries.get(record.name);
    if (!held) return false;
    if (held.record.view.length === 0 || record.view.length === 0) {
      this.entries.delete(record.name);
      return true;
    }
    held.deleted = true;
    return false;
  }

  /** Holders of leases that have not expired at `now`, except `self`. */
  liveOthers(self: string, now: number): string[] {
    const live = new Set<string>();
    for (const [name, e] of this.entries) {
      if (now < e.observedAt + e.record.durationMs) {
        if (e.record.holder !== self) live.add(e.record.holder);
      } else if (e.deleted) {
        this.entries.delete(name);
      }
    }
    return [...live];
  }

  /** The next moment a live lease expires (for a timer), or undefined when none will. */
  nextExpiry(now: number): number | undefined {
    let next: number | undefined;
    for (const e of this.entries.values()) {
      const at = e.observedAt + e.record.durationMs;
      if (at > now && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /**
   * Whether no live member other than `self` may be working on `key`: each of them publishes the view
   * it works under and touches only the keys it owns in that view.
   */
  othersClearOf(key: string, self: string, now: number): boolean {
    for (const e of this.entries.values()) {
      if (e.record.holder === self || now >= e.observedAt + e.record.durationMs) continue;
      if (e.record.view.length > 0 && ownerOf(key, e.record.view) === e.record.holder) return false;
    }
    return true;
  }

  /** The view a member last published (empty when unknown). */
  viewOf(holder: string): readonly string[] {
    for (const e of this.entries.values()) if (e.record.holder === holder) return e.record.view;
    return [];
  }
}

/** A view as a sorted list without duplicates, so equal member sets compare equal. */
export function normalizeView(members: Iterable<string>): string[] {
  return [...new Set(members)].sort();
}

export function sameView(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}
