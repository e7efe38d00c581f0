// Argo CD's spec.source.kustomize overrides, expressed as a wrapper kustomization that lists the app
// directory as its only resource. Argo CD runs `kustomize edit set …` inside the checkout instead; a
// wrapper never writes into the (shared, read-only) checkout. One difference follows: namePrefix and
// nameSuffix are added to the app's own prefix/suffix rather than replacing them.
import { RenderError, type KustomizeOptions } from './types.js';

export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

interface ImageRef {
  image: string;
  tag?: string;
  digest?: string;
}

/** 'registry:5000/app:1.2@sha256:…' → image, tag, digest; a ':' before the last '/' is a port, not a tag. */
function splitRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const named = at >= 0 ? ref.slice(0, at) : ref;
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return {
    image: hasTag ? named.slice(0, colon) : named,
    ...(hasTag ? { tag: named.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** Parses one Argo CD image override: 'name=newName:tag', 'name=newName@digest', 'name:tag', 'name@digest'. */
export function parseImageOverride(spec: string): KustomizeImage {
  const eq = spec.indexOf('=');
  const target = eq >= 0 ? spec.slice(eq + 1) : spec;
  const ref = splitRef(target);
  const name = eq >= 0 ? spec.slice(0, eq) : ref.image;
  if (name === '' || ref.image === '' || ref.tag === '' || ref.digest === '') throw new RenderError(`kustomize image override ${JSON.stringify(spec)} is not of the form name[=newName][:tag|@digest]`);
  return {
    name,
    ...(eq >= 0 ? { newName: ref.image } : {}),
    ...(ref.tag !== undefined ? { newTag: ref.tag } : {}),
    ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
  };
}

function nonEmpty(record: Record<string, string> | undefined): record is Record<string, string> {
  return record !== undefined && Object.keys(record).length > 0;
}

/** Whether any override is set (otherwise the app is built directly, without a wrapper). */
export function hasOverrides(opts: KustomizeOptions | undefined): opts is KustomizeOptions {
  if (!opts) return false;
  return Boolean(opts.namePrefix || opts.nameSuffix || opts.namespace || (opts.images?.length ?? 0) > 0 || nonEmpty(opts.commonLabels) || nonEmpty(opts.commonAnnotations));
}

/**
 * The wrapper kustomization. `appRef` must be relative: kustomize refuses absolute resource paths.
 * Remote bases inside the app are fetched by kustomize as usual; nothing here enables more.
 */
export function wrapperKustomization(appRef: string, opts: KustomizeOptions): Record<string, unknown> {
  const k: Record<string, unknown> = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [appRef] };
  if (opts.namespace) k['namespace'] = opts.namespace;
  if (opts.namePrefix) k['namePrefix'] = opts.namePrefix;
  if (opts.nameSuffix) k['nameSuffix'] = opts.nameSuffix;
  // `labels` with includeSelectors is the non-deprecated spelling of commonLabels (selectors and templates too).
  if (nonEmpty(opts.commonLabels)) k['labels'] = [{ pairs: opts.commonLabels, includeSelectors: true }];
  if (nonEmpty(opts.commonAnnotations)) k['commonAnnotations'] = opts.commonAnnotations;
  if (opts.images && opts.images.length > 0) k['images'] = opts.images.map(parseImageOverride);
  return k;
}
