// API tokens: `fjord_<id>_<secret>`. Only a SHA-256 hash of the whole token is stored, in a Secret of
// Fjord's namespace labelled `<secret-type label>: token` with the keys `id`, `subject`, `hash` and
// `roles`; so reading the cluster's Secrets never yields a usable token. Verification looks the id up
// in a watch-fed cache and compares hashes in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KubeClient, KubeObject } from '../../kube/client.js';

export const TOKEN_SECRET_TYPE = 'token';
const TOKEN_FORMAT = /^fjord_([a-z0-9]{8})_([A-Za-z0-9_-]{32,64})$/;
const SUBJECT_FORMAT = /^[a-z0-9]([-a-z0-9.@]{0,61}[a-z0-9])?$/;

export interface Principal {
  readonly subject: string;
  readonly roles: readonly string[];
}

export interface StoredToken extends Principal {
  readonly id: string;
  readonly hash: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function decode(secret: KubeObject, key: string): string {
  const v = (secret['data'] as Record<string, string> | undefined)?.[key];
  return v === undefined ? '' : Buffer.from(v, 'base64').toString('utf8');
}

export function storedToken(secret: KubeObject): StoredToken | undefined {
  const id = decode(secret, 'id');
  const hash = decode(secret, 'hash');
  if (!id || !/^[0-9a-f]{64}$/.test(hash)) return undefined;
  return { id, hash, subject: decode(secret, 'subject'), roles: decode(secret, 'roles').split(',').map((r) => r.trim()).filter((r) => r !== '') };
}

/** Who a bearer token belongs to, or undefined when it is malformed, unknown or does not match. */
export function verifyToken(token: string, lookup: (id: string) => StoredToken | undefined): Principal | undefined {
  const m = TOKEN_FORMAT.exec(token);
  if (!m?.[1]) return undefined;
  const stored = lookup(m[1]);
  if (!stored) return undefined;
  const a = Buffer.from(sha256(token), 'hex');
  const b = Buffer.from(stored.hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b) ? { subject: stored.subject, roles: stored.roles } : undefined;
}

export interface NewToken {
  readonly token: string;
  readonly secret: KubeObject;
}

const ROLE_FORMAT = /^(role:(admin|readonly)|proj:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[A-Za-z0-9_-]+)$/;

/** A fresh token and the Secret that stores its hash (not yet created). */
export function newToken(namespace: string, secretTypeLabel: string, subject: string, roles: readonly string[]): NewToken {
  if (!SUBJECT_FORMAT.test(subject)) throw new Error(`token subject ${JSON.stringify(subject)}: use lower-case letters, digits, '-', '.', '@' (at most 63)`);
  const bad = roles.filter((r) => !ROLE_FORMAT.test(r));
  if (roles.length === 0 || bad.length > 0) throw new Error(`token roles ${bad.join(', ') || '(none)'}: each must be role:admin, role:readonly or proj:<project>:<role>`);
  const id = randomBytes(5).toString('hex').slice(0, 8);
  const token = `fjord_${id}_${randomBytes(32).toString('base64url')}`;
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  return {
    token,
    secret: {
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
      metadata: { name: `fjord-token-${subject.replace(/[@.]/g, '-')}-${id}`, namespace, labels: { [secretTypeLabel]: TOKEN_SECRET_TYPE, 'fjord.dev/token-subject': subject.replace(/@/g, '.') } },
      data: { id: b64(id), subject: b64(subject), hash: b64(sha256(token)), roles: b64(roles.join(',')) },
    },
  };
}

/** Creates a token's Secret and returns the token (shown once; it cannot be recovered later). */
export async function createToken(kube: KubeClient, namespace: string, secretTypeLabel: string, subject: string, roles: readonly string[]): Promise<string> {
  const t = newToken(namespace, secretTypeLabel, subject, roles);
  await kube.create(`/api/v1/namespaces/${namespace}/secrets`, t.secret);
  return t.token;
}
