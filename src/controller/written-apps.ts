// Read-your-own-writes for Applications. The informer delivers Fjord's own status writes a moment
// later; a reconcile in between would start from the older object and could undo what the previous
// one recorded (history, operation state). So the object returned by our last write is used until
// the informer holds that version or a newer one. Versions are compared as numbers, which is what
// etcd-backed API servers hand out; an API server with opaque versions simply gets the informer's.
import type { KubeObject } from '../kube/client.js';

function version(obj: KubeObject): bigint | undefined {
  const rv = obj.metadata?.resourceVersion;
  return rv && /^\d{1,30}$/.test(rv) ? BigInt(rv) : undefined;
}

export class WrittenApps {
  private readonly latest = new Map<string, KubeObject>();

  /** Remembers the object an API write returned. */
  record(key: string, obj: KubeObject): void {
    this.latest.set(key, obj);
  }

  forget(key: string): void {
    this.latest.delete(key);
  }

  /** The freshest known version: our own last write if the informer has not caught up with it. */
  freshest(key: string, fromInformer: KubeObject | undefined): KubeObject | undefined {
    const held = this.latest.get(key);
    if (!fromInformer || !held) { this.latest.delete(key); return fromInformer; }
    const ours = version(held);
    const theirs = version(fromInformer);
    if (ours === undefined || theirs === undefined || theirs >= ours) { this.latest.delete(key); return fromInformer; }
    return held;
  }
}
