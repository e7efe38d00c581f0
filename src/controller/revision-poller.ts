// Change detection without webhooks: one ls-remote per repository per interval (in process over
// HTTP(S), see source/ls-refs-http.ts; the git CLI otherwise), however many
// Applications use it. When the commit a tracked ref points to moves (or a repository starts or stops
// answering), only the Applications tracking that ref are woken.
import type { KubeObject } from '../kube/client.js';
import type { RepoCredentials } from '../source/credentials.js';
import type { RepoCache } from '../source/repo-cache.js';
import { normalizeRepoUrl } from '../source/repo-url.js';
import type { Logger } from '../util/log.js';

export interface PollerOptions {
  readonly repos: Pick<RepoCache, 'lsRemote'>;
  readonly intervalMs: number;
  readonly apps: () => KubeObject[];
  readonly credentials: (url: string) => RepoCredentials | undefined;
  readonly enqueue: (appKey: string) => void;
  readonly log: Logger;
}

interface AppSource { repoURL?: string; targetRevision?: string }

function sourceOf(app: KubeObject): AppSource | undefined {
  const spec = app['spec'] as { source?: AppSource; sources?: AppSource[] } | undefined;
  return spec?.source ?? spec?.sources?.[0];
}

/** The commit a revision points to according to ls-remote's refs; undefined when refs cannot say (short SHA). */
export function revisionFromRefs(refs: Map<string, string>, revision: string | undefined): string | undefined {
  const rev = revision ?? '';
  if (rev === '' || rev === 'HEAD') return refs.get('HEAD');
  if (/^[0-9a-f]{40}$/i.test(rev)) return rev.toLowerCase();
  return refs.get(rev) ?? refs.get(`refs/heads/${rev}`) ?? refs.get(`refs/tags/${rev}`);
}

export class RevisionPoller {
  private readonly refs = new Map<string, { refs: Map<string, string>; at: number }>();
  private readonly failing = new Set<string>();
  /** Webhook polls under way per repository, and the one follow-up poll that callers meanwhile share. */
  private readonly inFlight = new Map<string, { run: Promise<void>; next?: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  /** Periodic polls under way, per repository. */
  private readonly polling = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly opts: PollerOptions) {}

  /** The refs of a repository from the last successful poll, if it is recent. */
  knownRefs(url: string): Map<string, string> | undefined {
    const hit = this.refs.get(normalizeRepoUrl(url));
    return hit && Date.now() - hit.at < this.opts.intervalMs * 2 + 1000 ? hit.refs : undefined;
  }

  /**
   * Ticks every interval whatever the repositories do: a repository that hangs until its timeout
   * delays only its own next poll, not the others' (a tick skips a repository still being asked).
   */
  start(): void {
    const tick = (): void => {
      if (this.stopped) return;
      this.pollOnce().catch((e: unknown) => { this.opts.log.error('repository poll failed', { error: (e as Error).message }); });
      this.timer = setTimeout(tick, this.opts.intervalMs);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.polling.values());
  }

  /** Polls every repository not still being polled; resolves when those polls are done. */
  async pollOnce(): Promise<void> {
    const started: Promise<void>[] = [];
    for (const [key, { url, apps }] of this.appsByRepo()) {
      if (this.polling.has(key)) continue;
      const run = this.pollRepo(key, url, apps).finally(() => { this.polling.delete(key); });
      this.polling.set(key, run);
      started.push(run);
    }
    await Promise.all(started);
  }

  /**
   * Asks one repository now (a webhook said it changed) instead of waiting for the next tick; the
   * Applications whose tracked commit moved are woken as by a poll. Calls while one runs share a
   * single follow-up poll (which starts after it, so it sees every push announced so far): a flood
   * of webhooks for one repository runs one ls-remote at a time with at most one more queued, not one each.
   */
  pollRepository(url: string): Promise<void> {
    const key = normalizeRepoUrl(url);
    const current = this.inFlight.get(key);
    if (current) {
      current.next ??= current.run.then(() => this.pollRepository(url));
      return current.next;
    }
    const entry = this.appsByRepo().get(key);
    if (!entry) return Promise.resolve();
    const run = this.pollRepo(key, entry.url, entry.apps).finally(() => { this.inFlight.delete(key); });
    this.inFlight.set(key, { run });
    return run;
  }

  private appsByRepo(): Map<string, { url: string; apps: KubeObject[] }> {
    const byRepo = new Map<string, { url: string; apps: KubeObject[] }>();
    for (const app of this.opts.apps()) {
      const url = sourceOf(app)?.repoURL;
      if (!url) continue;
      const key = normalizeRepoUrl(url);
      const entry = byRepo.get(key) ?? { url, apps: [] };
      entry.apps.push(app);
      byRepo.set(key, entry);
    }
    return byRepo;
  }

  private async pollRepo(key: string, url: string, apps: KubeObject[]): Promise<void> {
    let refs: Map<string, string>;
    try {
      refs = await this.opts.repos.lsRemote(url, this.opts.credentials(url));
    } catch (e) {
      // Refs of a repository that stopped answering are not trusted: reconciles ask it themselves and
      // report why it fails, instead of rendering from a stale answer.
      this.refs.delete(key);
      if (!this.failing.has(key)) {
        this.failing.add(key);
        this.opts.log.warn('repository unreachable', { repo: key, error: (e as Error).message });
        for (const app of apps) this.opts.enqueue(appKey(app));
      }
      return;
    }
    const recovered = this.failing.delete(key);
    this.opts.log.debug('polled repository', { repo: key, refs: refs.size, apps: apps.length });
    this.refs.set(key, { refs, at: Date.now() });
    // Every poll, not only when refs moved: an Application still behind its tracked commit (its last
    // wake was lost to a shard hand-over, or its reconcile is backing off after errors) is nudged
    // again. The walk is cheap; a test under load that skipped it left an app behind (ADR 13).
    for (const app of apps) {
      const current = (app['status'] as { sync?: { revision?: string } } | undefined)?.sync?.revision;
      const target = revisionFromRefs(refs, sourceOf(app)?.targetRevision);
      if (recovered || (target !== undefined && target !== current)) this.opts.enqueue(appKey(app));
    }
  }
}

export function appKey(app: KubeObject): string {
  return `${app.metadata?.namespace ?? ''}/${app.metadata?.name ?? ''}`;
}
