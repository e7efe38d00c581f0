// Go's text forms of leaf values, as sops feeds them to the MAC and writes them into ENC[…]
// (sops `ToBytes`): int → strconv.Itoa, float → FormatFloat('f', -1, 64), bool → "True"/"False".

/** Plain decimal without an exponent, shortest round-trip digits, like Go's FormatFloat(v, 'f', -1, 64). */
export function formatGoFloat(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign = '', lead = '', frac = '', expText = '0'] = m;
  const digits = lead + frac;
  const point = 1 + Number(expText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The bytes sops hashes for a plaintext leaf; null means "not a leaf sops hashes". */
export function goValueBytes(v: unknown): Buffer | null {
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (typeof v === 'boolean') return Buffer.from(v ? 'True' : 'False');
  if (typeof v === 'bigint') return Buffer.from(v.toString());
  if (typeof v === 'number') return Buffer.from(Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : formatGoFloat(v));
  if (v instanceof Uint8Array) return Buffer.from(v);
  return null;
}

/**
 * sops authenticates the MAC with `lastmodified` parsed as RFC 3339 and formatted again: fractional
 * seconds are dropped and a zero offset is written `Z`.
 */
export function goRfc3339(lastmodified: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(lastmodified);
  if (!m) return null;
  const [, date = '', time = '', zone = ''] = m;
  const offset = /^[+-]00:00$/.test(zone) || zone.toUpperCase() === 'Z' ? 'Z' : zone;
  return `${date}T${time}${offset}`;
}
