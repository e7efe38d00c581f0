// Checks of a webhook's credential against the configured secret, in constant time whatever the
// lengths: both sides are hashed to fixed-size digests before `timingSafeEqual`.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time string equality (a shared token such as GitLab's `X-Gitlab-Token`). */
export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function hmacHex(algorithm: 'sha256' | 'sha1', secret: string, body: Buffer): string {
  return createHmac(algorithm, secret).update(body).digest('hex');
}

/** `sha256=<hex>` (GitHub's X-Hub-Signature-256, Bitbucket Server's X-Hub-Signature, Fjord's own). */
export function prefixedSha256Matches(header: string, secret: string, body: Buffer): boolean {
  const prefix = 'sha256=';
  if (!header.toLowerCase().startsWith(prefix)) return false;
  return safeEqual(header.slice(prefix.length).toLowerCase(), hmacHex('sha256', secret, body));
}

/** A bare hex HMAC-SHA256 (Gitea's X-Gitea-Signature, Gogs' X-Gogs-Signature). */
export function hexSha256Matches(header: string, secret: string, body: Buffer): boolean {
  return safeEqual(header.trim().toLowerCase(), hmacHex('sha256', secret, body));
}

/** The header a sender of Fjord's generic payload sets: `sha256=<hex HMAC of the body>`. */
export function signGeneric(secret: string, body: Buffer | string): string {
  return `sha256=${hmacHex('sha256', secret, Buffer.isBuffer(body) ? body : Buffer.from(body))}`;
}
