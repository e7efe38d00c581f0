// Compares what Git wants with what runs. For an existing object the API server itself predicts the
// result of applying Git's version (a server-side-apply dry run), and that prediction is compared
// with live after removing server-owned fields and ignoreDifferences; so defaults, admission and
// field ownership are the API server's, not guessed. Predictions are cached by the desired content
// and the live object's compared content (its uid and everything but status and server-owned
// metadata), so an unchanged object costs no request, nor does one whose status alone moved (a
// rollout finishing). What a sync applied is remembered as its own prediction: applying the same
// desired object again changes nothing, so the reconcile after a sync needs no dry run either.
import { createHash } from 'node:crypto';
import type { IgnoreDifference } from '../api/application.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { objectPath } from '../kube/paths.js';
import { resourceSyncOptions } from '../sync/options.js';
import { applyIgnoreDifferences } from '../diff/ignore.js';
import { jsonEqual, normalizeForCompare } from '../diff/normalize.js';
import type { DesiredObject } from './desired.js';

export interface Comparison {
  readonly desired?: DesiredObject;
  readonly live?: KubeObject;
  readonly status: 'Synced' | 'OutOfSync';
  /** The API server's prediction of live after applying desired, without status and server-owned metadata (absent when live does not exist). */
  readonly predicted?: KubeObject;
  readonly error?: string;
}

/**
 * The last prediction per live object (by uid): what applying the desired object to it would store,
 * valid while neither the desired object nor the live content changes (the key's hash). One slot per
 * object, so it holds every managed object at any scale: a bound below the number of managed objects
 * made every compare after a sync send a dry run again (seen at 10,000 × 10 as twice the applies).
 * The hard cap only guards against objects that are deleted and never seen again.
 */
export class DryRunCache {
  private readonly entries = new Map<string, { hash: string; value: KubeObject }>();
  constructor(private readonly max = 500_000) {}

  get size(): number {
    return this.entries.size;
  }

  /** The prediction for the object with this uid, if it was made for the same desired and live content (`hash`). */
  get(uid: string, hash: string): KubeObject | undefined {
    const hit = this.entries.get(uid);
    return hit?.hash === hash ? hit.value : undefined;
  }

  set(uid: string, hash: string, value: KubeObject): void {
    if (!this.entries.has(uid) && this.entries.size >= this.max) {
      const first = this.entries.keys().next().value;
      if (first !== undefined) this.entries.delete(first);
    }
    this.entries.set(uid, { hash, value });
  }
}

/** Live objects come from the watch cache and are never mutated, so each one's compared content is hashed once. */
const liveHashes = new WeakMap<KubeObject, string>();

const hashOfNormalized = (normalized: KubeObject): string => createHash('sha256').update(JSON.stringify(normalized)).digest('hex');

function liveHash(live: KubeObject): string {
  let h = liveHashes.get(live);
  if (h === undefined) {
    h = hashOfNormalized(normalizeForCompare(live));
    liveHashes.set(live, h);
  }
  return h;
}

/** The object's uid, and a hash of the desired object with the live content it would be applied to. */
function keyOf(desired: KubeObject, uid: unknown, liveContentHash: string): { uid: string; hash: string } {
  return { uid: String(uid), hash: createHash('sha256').update(JSON.stringify(desired)).update('\0').update(liveContentHash).digest('hex') };
}

/** Records an object as a sync just stored it as the prediction for applying `desired` to it again (normalised once, for key and value). */
export function rememberApplied(cache: DryRunCache, desired: KubeObject, applied: KubeObject): void {
  if (!applied.metadata?.['uid']) return;
  const normalized = normalizeForCompare(applied);
  const { uid, hash } = keyOf(desired, applied.metadata['uid'], hashOfNormalized(normalized));
  cache.set(uid, hash, normalized);
}

export interface CompareContext {
  readonly kube: KubeClient;
  readonly fieldManager: string;
  readonly ignore: readonly IgnoreDifference[];
  readonly cache: DryRunCache;
  /** Validate=false (for the Application or in the object's sync-options): unknown fields are dropped, not refused. */
  readonly validate?: boolean;
  /** Replace=true for the Application: predictions use an update (PUT) dry run instead of server-side apply. */
  readonly replace?: boolean;
}

async function predict(ctx: CompareContext, d: DesiredObject, live: KubeObject): Promise<KubeObject> {
  const { uid, hash } = keyOf(d.object, live.metadata?.['uid'], liveHash(live));
  const hit = ctx.cache.get(uid, hash);
  if (hit) return hit;
  const path = objectPath(d.info, d.object.metadata?.name ?? '', d.object.metadata?.namespace);
  const own = resourceSyncOptions(d.object);
  const fieldValidation = (ctx.validate ?? true) && own.get('Validate')?.toLowerCase() !== 'false' ? 'Strict' : 'Ignore';
  const replace = (ctx.replace ?? false) || own.get('Replace')?.toLowerCase() === 'true';
  const predicted = replace
    ? await ctx.kube.request('PUT', path, {
      body: { ...d.object, metadata: { ...d.object.metadata, resourceVersion: live.metadata?.resourceVersion } },
      query: { fieldManager: ctx.fieldManager, dryRun: 'All', fieldValidation },
    })
    : await ctx.kube.request('PATCH', path, {
      body: d.object, contentType: 'application/apply-patch+yaml',
      query: { fieldManager: ctx.fieldManager, force: true, dryRun: 'All', fieldValidation },
    });
  // Kept as compared (no managedFields, no status): smaller, and all any reader looks at.
  const kept = normalizeForCompare(predicted);
  ctx.cache.set(uid, hash, kept);
  return kept;
}

export function differs(predicted: KubeObject, live: KubeObject, ignore: readonly IgnoreDifference[]): boolean {
  const a = normalizeForCompare(predicted);
  const b = normalizeForCompare(live);
  applyIgnoreDifferences(a, live, ignore);
  applyIgnoreDifferences(b, live, ignore);
  return !jsonEqual(a, b);
}

/**
 * differs() of the same cached prediction and the same watch-cache object under the same ignore
 * rules, remembered: the periodic reconcile of an unchanged object then costs two map lookups
 * instead of two deep copies and a deep comparison. Both objects are immutable while referenced.
 */
const verdicts = new WeakMap<KubeObject, WeakMap<KubeObject, { ignore: string; differs: boolean }>>();

function differsMemo(predicted: KubeObject, live: KubeObject, ignore: readonly IgnoreDifference[]): boolean {
  const key = ignore.length === 0 ? '' : JSON.stringify(ignore);
  let byPrediction = verdicts.get(live);
  const known = byPrediction?.get(predicted);
  if (known && known.ignore === key) return known.differs;
  const result = differs(predicted, live, ignore);
  if (!byPrediction) { byPrediction = new WeakMap(); verdicts.set(live, byPrediction); }
  byPrediction.set(predicted, { ignore: key, differs: result });
  return result;
}

export async function compareOne(ctx: CompareContext, d: DesiredObject, live: KubeObject | undefined): Promise<Comparison> {
  if (!live) return { desired: d, status: 'OutOfSync' };
  try {
    const predicted = await predict(ctx, d, live);
    return { desired: d, live, predicted, status: differsMemo(predicted, live, ctx.ignore) ? 'OutOfSync' : 'Synced' };
  } catch (e) {
    return { desired: d, live, status: 'OutOfSync', error: `${d.object.kind ?? ''} ${d.object.metadata?.name ?? ''} (${d.file}): dry run failed: ${(e as Error).message}` };
  }
}
