// The vocabulary of rendering: what a renderer is asked (an Argo CD `spec.source` seen from an
// extracted checkout) and what it answers (Kubernetes objects, each pointing back to its file).
import type { KubeObject } from '../kube/client.js';

export interface RenderedObject {
  readonly object: KubeObject;
  /** Path relative to the repository root ('apps/base/deployment.yaml'), or '<kustomize PATH>' / '<helm PATH>' for tool output. */
  readonly file: string;
  /** 0-based index of the YAML document in that file or output (error messages count documents from 1). */
  readonly index: number;
}

/** Argo CD's spec.source.directory. Globs match the path relative to the app path; `*` also crosses '/', as in Argo CD. */
export interface DirectoryOptions {
  recurse?: boolean;
  include?: string;
  exclude?: string;
}

/** Argo CD's spec.source.kustomize (the subset Fjord supports). */
export interface KustomizeOptions {
  /** Argo format: 'name=newName:tag', 'name=newName@sha256:…', 'name:tag', 'name@sha256:…'. */
  images?: string[];
  namePrefix?: string;
  nameSuffix?: string;
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  namespace?: string;
}

export interface HelmParameter {
  name: string;
  value: string;
  forceString?: boolean;
}

/** Argo CD's spec.source.helm (the subset Fjord supports). */
export interface HelmOptions {
  /** Defaults to the application name. */
  releaseName?: string;
  /** Paths relative to the app path; they must stay inside the repository. */
  valueFiles?: string[];
  /** YAML text. */
  values?: string;
  /** Replaces `values` when set, as in Argo CD. */
  valuesObject?: Record<string, unknown>;
  parameters?: HelmParameter[];
  skipCrds?: boolean;
  ignoreMissingValueFiles?: boolean;
}

export interface RenderRequest {
  /** An extracted checkout: read-only and shared, never written into. */
  repoRoot: string;
  /** App path relative to repoRoot; '' or '.' for the root. */
  path: string;
  appName: string;
  destinationNamespace?: string;
  directory?: DirectoryOptions;
  kustomize?: KustomizeOptions;
  helm?: HelmOptions;
  /** Limit for one tool run (kustomize, helm); default 60 s. */
  timeoutMs?: number;
}

export type SourceType = 'directory' | 'kustomize' | 'helm';

/** A render failure whose message names the file or path (relative to the repository) and the cause. */
export class RenderError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RenderError';
  }
}

/** The app directory a renderer works on, resolved once and checked to lie inside the repository. */
export interface AppDir {
  /** Real path of the repository root. */
  readonly repoRoot: string;
  /** Normalized app path relative to the root, with '/' separators; '' for the root itself. */
  readonly path: string;
  /** Real path of the app directory. */
  readonly dir: string;
}

/** How a path is shown in messages: the root is '.'. */
export function displayPath(path: string): string {
  return path === '' ? '.' : path;
}
