// From rendered manifests to the objects an Application wants: each resolved to its API resource,
// given the destination namespace when namespaced and without one, checked against the AppProject,
// and marked with the managed label and the tracking annotation. Problems are collected per object
// (naming the file in Git), so one bad manifest does not hide the rest.
import type { AppProjectSpec } from '../api/application.js';
import type { KubeObject } from '../kube/client.js';
import type { Discovery, ResourceInfo } from '../kube/discovery.js';
import type { RenderedObject } from '../render/types.js';
import { checkDestination, checkKind } from '../project/policy.js';
import { isHook } from '../sync/hooks.js';
import { groupOf, keyOf, keyString, withTracking } from '../sync/tracking.js';
import { MANAGED_LABEL, MANAGED_LABEL_VALUE } from './live-cache.js';

export interface DesiredObject {
  readonly object: KubeObject;
  readonly info: ResourceInfo;
  readonly file: string;
}

export interface DesiredSet {
  readonly objects: DesiredObject[];
  readonly errors: string[];
}

export interface DesiredContext {
  readonly appName: string;
  readonly project: string;
  readonly projectSpec: AppProjectSpec;
  readonly destinationNamespace?: string | undefined;
  /** The Application's cluster: each object's own namespace must be a destination the project permits there. */
  readonly destinationCluster?: { readonly server: string; readonly name: string } | undefined;
  readonly trackingAnnotation: string;
  readonly discovery: Discovery;
}

function describe(obj: KubeObject, file: string): string {
  return `${obj.kind ?? '?'} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name ?? '?'} (${file})`;
}

function withLabel(obj: KubeObject): KubeObject {
  const metadata = obj.metadata ?? {};
  const labels = { ...(metadata['labels'] as Record<string, string> | undefined), [MANAGED_LABEL]: MANAGED_LABEL_VALUE };
  return { ...obj, metadata: { ...metadata, labels } };
}

/** The CRDs this set itself defines, so their custom resources are not "unknown kinds". */
function crdKinds(rendered: readonly RenderedObject[]): Map<string, boolean> {
  const kinds = new Map<string, boolean>();
  for (const r of rendered) {
    if (r.object.kind !== 'CustomResourceDefinition') continue;
    const spec = r.object['spec'] as { group?: string; names?: { kind?: string }; scope?: string } | undefined;
    if (spec?.group && spec.names?.kind) kinds.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
  }
  return kinds;
}

async function resolveInfo(ctx: DesiredContext, obj: KubeObject, pending: Map<string, boolean>): Promise<ResourceInfo> {
  try {
    return await ctx.discovery.resourceFor(obj.apiVersion ?? '', obj.kind ?? '');
  } catch (e) {
    const group = groupOf(obj.apiVersion);
    const namespaced = pending.get(`${group}/${obj.kind ?? ''}`);
    if (namespaced === undefined) throw e;
    const version = (obj.apiVersion ?? '').split('/').at(-1) ?? '';
    return { group, version, kind: obj.kind ?? '', resource: `${(obj.kind ?? '').toLowerCase()}s`, namespaced, verbs: [] };
  }
}

/** A name, or a generateName on a hook (the only objects that may have one, as in Argo CD). */
function isNamed(obj: KubeObject): boolean {
  return Boolean(obj.metadata?.name) || (isHook(obj) && Boolean(obj.metadata?.['generateName']));
}

/** An object that names its own namespace may not leave the project's destinations (as Argo CD checks). */
function namespaceDenied(ctx: DesiredContext, obj: KubeObject): string | undefined {
  const namespace = obj.metadata?.namespace;
  if (ctx.destinationCluster === undefined || namespace === undefined || namespace === ctx.destinationNamespace) return undefined;
  return checkDestination(ctx.project, ctx.projectSpec, { ...ctx.destinationCluster, namespace });
}

export async function buildDesired(ctx: DesiredContext, rendered: readonly RenderedObject[]): Promise<DesiredSet> {
  const objects: DesiredObject[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const pending = crdKinds(rendered);
  for (const r of rendered) {
    let info: ResourceInfo;
    try {
      info = await resolveInfo(ctx, r.object, pending);
    } catch (e) {
      errors.push(`${describe(r.object, r.file)}: ${(e as Error).message}`);
      continue;
    }
    let obj = r.object;
    if (!isNamed(obj)) { errors.push(`${describe(obj, r.file)}: has no metadata.name`); continue; }
    if (info.namespaced && !obj.metadata?.namespace) {
      if (!ctx.destinationNamespace) { errors.push(`${describe(obj, r.file)}: namespaced but has no namespace and the destination names none`); continue; }
      obj = { ...obj, metadata: { ...obj.metadata, namespace: ctx.destinationNamespace } };
    }
    if (!info.namespaced && obj.metadata?.namespace) {
      const { namespace: _dropped, ...metadata } = obj.metadata;
      obj = { ...obj, metadata };
    }
    const denied = namespaceDenied(ctx, obj) ?? checkKind(ctx.project, ctx.projectSpec, { group: info.group, kind: info.kind, name: obj.metadata?.name ?? '', namespaced: info.namespaced });
    if (denied) { errors.push(`${describe(obj, r.file)}: ${denied}`); continue; }
    const id = keyString(keyOf(obj));
    if (seen.has(id)) { errors.push(`${describe(obj, r.file)}: defined more than once in the source`); continue; }
    seen.add(id);
    objects.push({ object: withTracking(withLabel(obj), ctx.trackingAnnotation, ctx.appName), info, file: r.file });
  }
  return { objects, errors };
}
