// Rendezvous (highest-random-weight) hashing: every member scores every key, the highest score owns
// it. Adding a member moves only the keys it now wins (about 1/n of them); removing one moves only
// its own keys; every replica that sees the same members computes the same owner, with no shared state.

/** 32-bit FNV-1a of a string's UTF-16 code units, finished with murmur3's avalanche. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The member's weight for the key: 53 exact bits from two independent hashes make ties negligible. */
function score(member: string, key: string): number {
  return hash32(`${member}\u0000${key}`) * 0x200000 + (hash32(`${key}\u0000${member}`) >>> 11);
}

/** The member that owns `key` among `members` (undefined when there are none); ties go to the smaller name. */
export function ownerOf(key: string, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const m of members) {
    const s = score(m, key);
    if (s > bestScore || (s === bestScore && best !== undefined && m < best)) {
      best = m;
      bestScore = s;
    }
  }
  return best;
}
