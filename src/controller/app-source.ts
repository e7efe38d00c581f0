// The Git side of a reconcile: resolve the target revision (from the poller's last ls-remote when it
// has one), check out that commit (one cached clone per repository), and render the path, cached by
// commit + path + options so Applications on the same revision and path render once.
import type { ApplicationSource } from '../api/application.js';
import { render } from '../render/render.js';
import { RenderError, type DirectoryOptions, type HelmOptions, type KustomizeOptions, type RenderedObject } from '../render/types.js';
import type { RepoCredentials } from '../source/credentials.js';
import type { Semaphore } from '../util/semaphore.js';
import { decryptRendered } from '../secrets/sops/rendered.js';
import type { CommitInfo, RepoCache } from '../source/repo-cache.js';

export interface SourceResult {
  readonly revision: string;
  readonly commit: CommitInfo;
  readonly rendered: readonly RenderedObject[];
  readonly sourceType: 'Helm' | 'Kustomize' | 'Directory';
}

/** A render's result, or the RenderError it ended with (and when), so a bad commit is not re-parsed on every poll. */
type RenderEntry = { rendered: readonly RenderedObject[]; sourceType: SourceResult['sourceType'] } | { error: RenderError; at: number };

/** How long a render error is reused: long enough that a bad commit costs one render a minute, short enough to retry a timeout. */
export const RENDER_ERROR_TTL_MS = 60_000;

/**
 * Renders by commit + path + options, least recently used first out. Bounded by the number of
 * rendered objects it holds, not of entries: every Application has its own entry (the options name
 * the app), and a bound below the number of Applications would make the periodic reconcile of all
 * of them miss in turn and render everything again.
 */
export class RenderCache {
  private readonly entries = new Map<string, RenderEntry>();
  private objects = 0;
  constructor(private readonly maxObjects = 50_000) {}

  private static weight(e: RenderEntry): number {
    return 'error' in e ? 1 : Math.max(1, e.rendered.length);
  }

  get(key: string): RenderEntry | undefined {
    const hit = this.entries.get(key);
    if (hit && 'error' in hit && Date.now() - hit.at > RENDER_ERROR_TTL_MS) { this.delete(key); return undefined; }
    if (hit) { this.entries.delete(key); this.entries.set(key, hit); }
    return hit;
  }

  set(key: string, value: RenderEntry): void {
    this.delete(key);
    this.entries.set(key, value);
    this.objects += RenderCache.weight(value);
    for (const oldest of this.entries.keys()) {
      if (this.objects <= this.maxObjects || oldest === key) break;
      this.delete(oldest);
    }
  }

  /** How many rendered objects the cache holds (for tests and metrics). */
  get size(): number {
    return this.objects;
  }

  clear(): void {
    this.entries.clear();
    this.objects = 0;
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.objects -= RenderCache.weight(old);
  }
}

/** Spec options as parsed carry explicit undefineds; the renderer's options are plain JSON. */
function withoutUndefined(value: object): unknown {
  return JSON.parse(JSON.stringify(value));
}

function sourceTypeOf(rendered: readonly RenderedObject[]): SourceResult['sourceType'] {
  const file = rendered[0]?.file ?? '';
  if (file.startsWith('<helm')) return 'Helm';
  if (file.startsWith('<kustomize')) return 'Kustomize';
  return 'Directory';
}

export interface SourceDeps {
  readonly repos: RepoCache;
  readonly renderCache: RenderCache;
  /** reposerver.parallelism.limit: how many renders may run at once. */
  readonly renderSlots: Semaphore;
  /** Age identities for SOPS-encrypted files. */
  readonly sopsIdentities: (appName: string) => string[] | Promise<string[]>;
  /** The refs of the repository from the poller's last ls-remote, when fresh. */
  readonly knownRefs: (url: string) => Map<string, string> | undefined;
}

export async function fetchAndRender(deps: SourceDeps, src: ApplicationSource, appName: string, destinationNamespace: string | undefined, creds: RepoCredentials | undefined): Promise<SourceResult> {
  const revision = await deps.repos.resolveRevision(src.repoURL, src.targetRevision, creds, deps.knownRefs(src.repoURL));
  const checkout = await deps.repos.checkout(src.repoURL, revision, creds);
  const options = { directory: src.directory, kustomize: src.kustomize, helm: src.helm, appName, destinationNamespace };
  const key = `${revision}|${src.path}|${JSON.stringify(options)}`;
  let entry = deps.renderCache.get(key);
  if (!entry) {
    entry = await renderEntry(deps, checkout.dir, src, appName, destinationNamespace);
    deps.renderCache.set(key, entry);
  }
  if ('error' in entry) throw entry.error;
  // Decrypted on every use and never cached: plaintext exists only on its way to the API server.
  const rendered = await decryptRendered(entry.rendered, async () => ({ age: await deps.sopsIdentities(appName) }), checkout.dir);
  return { revision, commit: checkout.commit, rendered, sourceType: entry.sourceType };
}

async function renderEntry(deps: SourceDeps, repoRoot: string, src: ApplicationSource, appName: string, destinationNamespace: string | undefined): Promise<RenderEntry> {
  try {
    const rendered = await deps.renderSlots.run(() => render({
      repoRoot, path: src.path, appName,
      ...(destinationNamespace ? { destinationNamespace } : {}),
      ...(src.directory ? { directory: withoutUndefined(src.directory) as DirectoryOptions } : {}),
      ...(src.kustomize ? { kustomize: withoutUndefined(src.kustomize) as KustomizeOptions } : {}),
      ...(src.helm ? { helm: withoutUndefined(src.helm) as HelmOptions } : {}),
    }));
    return { rendered, sourceType: sourceTypeOf(rendered) };
  } catch (e) {
    if (e instanceof RenderError) return { error: e, at: Date.now() };
    throw e;
  }
}
