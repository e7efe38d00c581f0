// Fjord serves its API in one of two flavors: its own group (fjord.dev, namespace `fjord`) or, with
// `--compat argocd`, Argo CD's (argoproj.io, namespace `argocd`), so existing manifests work verbatim.
// Resource annotations (sync waves, hooks, sync options…) are read under both prefixes in both modes,
// so the seeds' manifests work after changing only the Application's apiVersion.

export interface ApiFlavor {
  readonly name: 'fjord' | 'argocd';
  readonly group: string;
  readonly version: 'v1alpha1';
  readonly namespace: string;
  /** Annotation on every object an Application manages: `<app namespace>_<app name>:<group>/<kind>:<namespace>/<name>`. */
  readonly trackingAnnotation: string;
  /** Finalizer that makes deleting an Application delete its resources. */
  readonly resourcesFinalizer: string;
  /** Label marking repository and cluster Secrets. */
  readonly secretTypeLabel: string;
  /** Annotation on an Application that asks for a refresh (`normal` or `hard`). */
  readonly refreshAnnotation: string;
  readonly configMapName: string;
  readonly fieldManager: string;
}

export const FJORD: ApiFlavor = {
  name: 'fjord',
  group: 'fjord.dev',
  version: 'v1alpha1',
  namespace: 'fjord',
  trackingAnnotation: 'fjord.dev/tracking-id',
  resourcesFinalizer: 'resources-finalizer.fjord.dev',
  secretTypeLabel: 'fjord.dev/secret-type',
  refreshAnnotation: 'fjord.dev/refresh',
  configMapName: 'fjord-cm',
  fieldManager: 'fjord',
};

export const ARGOCD: ApiFlavor = {
  name: 'argocd',
  group: 'argoproj.io',
  version: 'v1alpha1',
  namespace: 'argocd',
  trackingAnnotation: 'argocd.argoproj.io/tracking-id',
  resourcesFinalizer: 'resources-finalizer.argocd.argoproj.io',
  secretTypeLabel: 'argocd.argoproj.io/secret-type',
  refreshAnnotation: 'argocd.argoproj.io/refresh',
  configMapName: 'argocd-cm',
  fieldManager: 'fjord',
};

export function flavorFor(compat: string | undefined): ApiFlavor {
  if (compat === undefined || compat === '' || compat === 'fjord') return FJORD;
  if (compat === 'argocd') return ARGOCD;
  throw new Error(`--compat ${compat} is not supported: use "argocd" or leave it out`);
}

/** Annotation prefixes read on managed resources, Fjord's first. */
export const RESOURCE_ANNOTATION_PREFIXES = ['fjord.dev/', 'argocd.argoproj.io/'] as const;

/** The value of a resource annotation under either prefix, e.g. `resourceAnnotation(obj, 'sync-wave')`. */
export function resourceAnnotation(annotations: Record<string, string> | undefined, key: string): string | undefined {
  if (!annotations) return undefined;
  for (const prefix of RESOURCE_ANNOTATION_PREFIXES) {
    const v = annotations[`${prefix}${key}`];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The API path of one Application in the given namespace (the controller's apps may live outside the flavor's). */
export function applicationPath(flavor: ApiFlavor, namespace: string, name: string): string {
  return `/apis/${flavor.group}/${flavor.version}/namespaces/${namespace}/applications/${encodeURIComponent(name)}`;
}
