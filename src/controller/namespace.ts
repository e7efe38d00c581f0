// CreateNamespace=true: the destination namespace is created (with managedNamespaceMetadata's labels
// and annotations) before anything is applied into it.
import type { ControllerDeps } from './app-context.js';

export async function ensureNamespace(deps: ControllerDeps, name: string, meta: { labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined } | undefined): Promise<void> {
  const existing = await deps.kube.getOrUndefined(`/api/v1/namespaces/${name}`);
  if (existing && !meta) return;
  await deps.kube.apply(`/api/v1/namespaces/${name}`, {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name, ...(meta?.labels ? { labels: meta.labels } : {}), ...(meta?.annotations ? { annotations: meta.annotations } : {}) },
  }, { fieldManager: `${deps.flavor.fieldManager}-namespace`, force: true });
}
