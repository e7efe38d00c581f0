// Sync options, from `spec.syncPolicy.syncOptions` and a resource's `sync-options` annotation
// (`Key=value` items, comma-separated on resources), with Argo CD's names and defaults.
import { resourceAnnotation } from '../api/flavor.js';
import type { KubeObject } from '../kube/client.js';

export interface SyncOptions {
  readonly createNamespace: boolean;
  readonly pruneLast: boolean;
  readonly applyOutOfSyncOnly: boolean;
  readonly prunePropagationPolicy: 'Foreground' | 'Background' | 'Orphan';
  readonly replace: boolean;
  readonly validate: boolean;
  readonly respectIgnoreDifferences: boolean;
  readonly failOnSharedResource: boolean;
}

function parseList(items: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const item of items) {
    const i = item.indexOf('=');
    if (i > 0) m.set(item.slice(0, i).trim(), item.slice(i + 1).trim());
  }
  return m;
}

const POLICIES = { foreground: 'Foreground', background: 'Background', orphan: 'Orphan' } as const;

export function parseSyncOptions(items: readonly string[] | undefined): SyncOptions {
  const m = parseList(items ?? []);
  const on = (k: string): boolean => m.get(k)?.toLowerCase() === 'true';
  const raw = (m.get('PrunePropagationPolicy') ?? 'foreground').toLowerCase();
  const policy = raw in POLICIES ? POLICIES[raw as keyof typeof POLICIES] : 'Foreground';
  return {
    createNamespace: on('CreateNamespace'),
    pruneLast: on('PruneLast'),
    applyOutOfSyncOnly: on('ApplyOutOfSyncOnly'),
    prunePropagationPolicy: policy,
    replace: on('Replace'),
    validate: m.get('Validate')?.toLowerCase() !== 'false',
    respectIgnoreDifferences: on('RespectIgnoreDifferences'),
    failOnSharedResource: on('FailOnSharedResource'),
  };
}

/** A resource's own options from its `sync-options` annotation, e.g. `Prune=false,Delete=false`. */
export function resourceSyncOptions(obj: KubeObject): Map<string, string> {
  const raw = resourceAnnotation(obj.metadata?.['annotations'] as Record<string, string> | undefined, 'sync-options');
  return parseList((raw ?? '').split(','));
}

export function resourceDisallows(obj: KubeObject, option: 'Prune' | 'Delete'): boolean {
  return resourceSyncOptions(obj).get(option)?.toLowerCase() === 'false';
}
