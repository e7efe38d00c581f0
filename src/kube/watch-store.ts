// The informer's in-memory copy of a collection, keyed by namespace/name. Applying a watch event or a
// fresh list returns the changes consumers must hear about, so a re-list after a gap in the watch still
// reports every object that was added, changed or deleted meanwhile.
import type { KubeObject } from './client.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreChange {
  readonly type: WatchEventType;
  readonly obj: KubeObject;
  /** The stored object this one replaces or deletes, when there was one. */
  readonly old?: KubeObject;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
}

function change(type: WatchEventType, obj: KubeObject, old: KubeObject | undefined): StoreChange {
  return old ? { type, obj, old } : { type, obj };
}

export class ObjectStore {
  private readonly items = new Map<string, KubeObject>();

  get size(): number {
    return this.items.size;
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.items.get(objectKey(namespace, name));
  }

  list(): KubeObject[] {
    return [...this.items.values()];
  }

  /**
   * Records one watch event. An ADDED for an object already stored is reported as MODIFIED (and a
   * MODIFIED for an unknown one as ADDED), so the reported type always matches the store.
   */
  apply(type: WatchEventType, obj: KubeObject): StoreChange {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (type === 'DELETED') {
      this.items.delete(key);
      return change('DELETED', obj, old);
    }
    this.items.set(key, obj);
    return change(old ? 'MODIFIED' : 'ADDED', obj, old);
  }

  /**
   * Replaces the whole content with a fresh list and returns the difference: ADDED for new objects,
   * MODIFIED for objects whose resourceVersion changed, DELETED (with the last known state) for objects
   * that are gone.
   */
  replace(objs: readonly KubeObject[]): StoreChange[] {
    const changes: StoreChange[] = [];
    const previous = new Map(this.items);
    this.items.clear();
    for (const obj of objs) {
      const key = keyOf(obj);
      const old = previous.get(key);
      previous.delete(key);
      this.items.set(key, obj);
      if (!old) changes.push(change('ADDED', obj, undefined));
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) changes.push(change('MODIFIED', obj, old));
    }
    for (const old of previous.values()) changes.push(change('DELETED', old, old));
    return changes;
  }
}
