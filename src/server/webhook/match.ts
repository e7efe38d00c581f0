// Which Applications a push concerns: a source on the same repository (whatever URL form either side
// uses), tracking the ref that moved, and, when the Application names its manifest-generate-paths,
// only if a changed file lies under one of them.
import { posix } from 'node:path';
import type { KubeObject } from '../../kube/client.js';
import { parseRepoUrl } from '../../source/repo-url.js';
import { globMatcher } from '../../render/path-glob.js';
import type { PushEvent } from './types.js';

export const MANIFEST_PATHS_ANNOTATIONS = ['fjord.dev/manifest-generate-paths', 'argocd.argoproj.io/manifest-generate-paths'] as const;

interface Source { readonly repoURL?: string; readonly targetRevision?: string; readonly path?: string; readonly chart?: string }

export interface MatchedApp {
  readonly key: string;
  /** The repository URL as the Application spells it (what the controller polls). */
  readonly repoURL: string;
}

/**
 * One identity for every spelling of a repository: host without port or user (and without the `ssh.`
 * or `altssh.` prefix some providers put on SSH hosts), path without `.git` and trailing slashes, case
 * folded. `https://github.com/Org/Repo`, `git@github.com:org/repo.git` and
 * `ssh://git@ssh.github.com:443/org/repo` are one repository.
 */
export function repoIdentity(url: string): string | undefined {
  const p = parseRepoUrl(url.trim());
  if (!p || p.kind === 'file') return undefined;
  const host = p.host.replace(/:\d+$/, '').replace(/^(alt)?ssh\./, '');
  let path = p.path.toLowerCase();
  for (let prev = ''; prev !== path;) { prev = path; path = path.replace(/\/+$/, '').replace(/\.git$/, ''); }
  return `${host}/${path}`;
}

function sourcesOf(app: KubeObject): Source[] {
  const spec = app['spec'] as { source?: Source; sources?: Source[] } | undefined;
  const all = spec?.sources && spec.sources.length > 0 ? spec.sources : spec?.source ? [spec.source] : [];
  return all.filter((s) => typeof s.repoURL === 'string' && s.chart === undefined);
}

/** The name a push moved, when it did not say whether it is a branch or a tag (generic `ref: main`). */
function bareName(ev: PushEvent): string | undefined {
  return ev.branch === undefined && ev.tag === undefined && ev.ref !== undefined && !ev.ref.startsWith('refs/') ? ev.ref : undefined;
}

/** Whether a push to `ev`'s ref moves what `targetRevision` tracks. */
export function revisionMatches(targetRevision: string | undefined, ev: PushEvent): boolean {
  if (ev.ref === undefined) return true;
  const target = targetRevision ?? '';
  const bare = bareName(ev);
  if (target === '' || target === 'HEAD') {
    if (ev.defaultBranch === undefined) return true;
    return (ev.branch ?? bare) === ev.defaultBranch;
  }
  if (target.startsWith('refs/heads/')) return (ev.branch ?? bare) === target.slice('refs/heads/'.length);
  if (target.startsWith('refs/tags/')) return (ev.tag ?? bare) === target.slice('refs/tags/'.length);
  if (target.startsWith('refs/')) return ev.ref === target;
  return target === ev.branch || target === ev.tag || target === bare;
}

/** The repository-relative paths an Application's annotation names; undefined without one. */
export function manifestGeneratePaths(app: KubeObject, sources: readonly Source[]): string[] | undefined {
  const annotations = app.metadata?.['annotations'] as Record<string, string> | undefined;
  const value = MANIFEST_PATHS_ANNOTATIONS.map((k) => annotations?.[k]).find((v) => v !== undefined && v.trim() !== '');
  if (value === undefined) return undefined;
  const items = value.split(';').map((s) => s.trim()).filter((s) => s !== '');
  return items.flatMap((item) => item.startsWith('/')
    ? [posix.normalize(item.slice(1) || '.')]
    : sources.map((s) => posix.normalize(posix.join(s.path ?? '.', item))));
}

const GLOB = /[*?[{]/;

function fileUnder(file: string, path: string): boolean {
  const f = posix.normalize(file.replace(/^\/+/, ''));
  if (path === '.' || path === '') return true;
  if (GLOB.test(path)) return globMatcher(path)(f);
  return f === path || f.startsWith(`${path.replace(/\/+$/, '')}/`);
}

/** No file list (the payload could not say) or no annotation: every push concerns the Application. */
export function pathsMatch(paths: readonly string[] | undefined, changedFiles: readonly string[] | undefined): boolean {
  if (paths === undefined || changedFiles === undefined || changedFiles.length === 0) return true;
  return changedFiles.some((file) => paths.some((p) => fileUnder(file, p)));
}

/** The Applications a push concerns, each once, with the repository URL of its matching source. */
export function matchApplications(ev: PushEvent, apps: readonly KubeObject[]): MatchedApp[] {
  const pushed = new Set(ev.repoUrls.map(repoIdentity).filter((id): id is string => id !== undefined));
  const matched: MatchedApp[] = [];
  for (const app of apps) {
    const sources = sourcesOf(app);
    const source = sources.find((s) => pushed.has(repoIdentity(s.repoURL ?? '') ?? '') && revisionMatches(s.targetRevision, ev));
    if (!source?.repoURL || !pathsMatch(manifestGeneratePaths(app, sources), ev.changedFiles)) continue;
    matched.push({ key: `${app.metadata?.namespace ?? ''}/${app.metadata?.name ?? ''}`, repoURL: source.repoURL });
  }
  return matched;
}
