// What an Application consists of, for people: the resource tree (managed objects and what they own,
// found by ownerReferences), per-resource live manifests and diffs (Secrets masked), events, and
// commit metadata. Read on demand; nothing here is polled.
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { KubeApiError, type KubeObject } from '../../kube/client.js';
import { maskSecret } from '../../diff/mask.js';
import { normalizeForCompare } from '../../diff/normalize.js';
import { applyIgnoreDifferences } from '../../diff/ignore.js';
import { compareApplication } from '../../controller/app-diff.js';
import type { ControllerDeps } from '../../controller/app-context.js';
import type { ResourceStatus } from '../../controller/app-status.js';
import { groupOf } from '../../sync/tracking.js';
import { objectPath } from '../../kube/paths.js';
import { authorizedApp, type ApiContext } from './context.js';
import { HttpError, sendJson, withoutManagedFields } from './http-util.js';
import type { Request } from './router.js';
import { resourceTree } from './resource-tree.js';
import type { IgnoreDifference } from '../../api/application.js';

function controllerOf(ctx: ApiContext): ControllerDeps {
  const deps = ctx.controller?.();
  if (!deps) throw new HttpError(503, 'this server runs without the controller role, which computes live state and diffs');
  return deps;
}

function resourcesOf(app: KubeObject): ResourceStatus[] {
  return ((app['status'] as { resources?: ResourceStatus[] } | undefined)?.resources) ?? [];
}

export async function handleTree(ctx: ApiContext, r: Request): Promise<void> {
  const app = authorizedApp(ctx, r.who, r.params['name'] ?? '', 'get');
  const deps = controllerOf(ctx);
  sendJson(r.res, 200, { nodes: await resourceTree(deps, resourcesOf(app)) });
}

function toYaml(obj: KubeObject | undefined): string {
  return obj ? stringify(obj, { sortMapEntries: false, lineWidth: 0 }) : '';
}

/** Both sides normalised, masked and without what ignoreDifferences hides, as unified diff. */
export function displayDiff(name: string, predicted: KubeObject | undefined, live: KubeObject | undefined, ignore: readonly IgnoreDifference[]): { diff: string; target?: KubeObject; live?: KubeObject } {
  const target = predicted ? normalizeForCompare(maskSecret(predicted)) : undefined;
  const current = live ? normalizeForCompare(maskSecret(live)) : undefined;
  if (target && live) applyIgnoreDifferences(target, live, ignore);
  if (current && live) applyIgnoreDifferences(current, live, ignore);
  const diff = createTwoFilesPatch(`live/${name}`, `git/${name}`, toYaml(current), toYaml(target), undefined, undefined, { context: 3 });
  const changed = diff.split('\n').slice(4).some((l) => l.startsWith('+') || l.startsWith('-'));
  return { diff: changed ? diff : '', ...(target ? { target } : {}), ...(current ? { live: current } : {}) };
}

export async function handleManagedResources(ctx: ApiContext, r: Request): Promise<void> {
  const app = authorizedApp(ctx, r.who, r.params['name'] ?? '', 'get');
  const deps = controllerOf(ctx);
  const result = await compareApplication(deps, app);
  if ('error' in result) throw new HttpError(409, `application ${app.metadata?.name ?? ''}: cannot compare: ${result.error}`);
  const ignore = ((app['spec'] as { ignoreDifferences?: IgnoreDifference[] } | undefined)?.ignoreDifferences) ?? [];
  const items = result.comparisons.map((c) => {
    const obj = c.desired?.object ?? c.live ?? {};
    const name = `${obj.kind ?? ''}/${obj.metadata?.name ?? ''}`;
    const shown = displayDiff(name, c.predicted ?? c.desired?.object, c.live, ignore);
    return {
      group: groupOf(obj.apiVersion), version: c.desired?.info.version ?? '', kind: obj.kind ?? '', namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '',
      status: c.status, health: result.healthOf(c) ?? null, file: c.desired?.file ?? null,
      liveState: shown.live ?? null, targetState: shown.target ?? null, diff: shown.diff, ...(c.error ? { error: c.error } : {}),
    };
  });
  const prunable = result.extras.map(({ obj, info }) => {
    const shown = displayDiff(`${obj.kind ?? ''}/${obj.metadata?.name ?? ''}`, undefined, obj, ignore);
    return { group: info.group, version: info.version, kind: obj.kind ?? '', namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '', status: 'OutOfSync', requiresPruning: true, health: null, file: null, liveState: shown.live ?? null, targetState: null, diff: shown.diff };
  });
  sendJson(r.res, 200, { items: [...items, ...prunable] });
}

export async function handleResource(ctx: ApiContext, r: Request): Promise<void> {
  const app = authorizedApp(ctx, r.who, r.params['name'] ?? '', 'get');
  const q = r.url.searchParams;
  const group = q.get('group') ?? '';
  const kind = q.get('kind') ?? '';
  const name = q.get('name') ?? q.get('resourceName') ?? '';
  const namespace = q.get('namespace') ?? '';
  const known = resourcesOf(app).some((x) => x.group === group && x.kind === kind && x.name === name && x.namespace === namespace);
  const deps = controllerOf(ctx);
  const tree = known ? [] : await resourceTree(deps, resourcesOf(app));
  if (!known && !tree.some((n) => n.group === group && n.kind === kind && n.name === name && n.namespace === namespace)) {
    throw new HttpError(404, `${kind} ${namespace ? `${namespace}/` : ''}${name} is not a resource of application ${app.metadata?.name ?? ''}`);
  }
  const version = q.get('version') ?? '';
  const info = await deps.discovery.resourceFor(group ? `${group}/${version || 'v1'}` : (version || 'v1'), kind);
  try {
    const live = await deps.kube.get(objectPath(info, name, namespace || undefined));
    sendJson(r.res, 200, { manifest: withoutManagedFields(maskSecret(live)) });
  } catch (e) {
    if (e instanceof KubeApiError && e.status === 404) throw new HttpError(404, `${kind} ${namespace ? `${namespace}/` : ''}${name} does not exist in the cluster`);
    throw e;
  }
}

interface EventObj extends KubeObject { involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string }; lastTimestamp?: string; eventTime?: string; firstTimestamp?: string }

export async function handleEvents(ctx: ApiContext, r: Request): Promise<void> {
  const app = authorizedApp(ctx, r.who, r.params['name'] ?? '', 'get');
  const uid = app.metadata?.['uid'] as string | undefined;
  const own = await ctx.kube.get<{ items: EventObj[] }>(`/api/v1/namespaces/${ctx.flavor.namespace}/events`, { query: { fieldSelector: `involvedObject.uid=${uid ?? ''}` } });
  const namespaces = [...new Set(resourcesOf(app).map((x) => x.namespace).filter((n) => n !== ''))].slice(0, 20);
  const names = new Set(resourcesOf(app).map((x) => `${x.kind}/${x.namespace}/${x.name}`));
  const theirs = await Promise.all(namespaces.map(async (ns) => (await ctx.kube.get<{ items: EventObj[] }>(`/api/v1/namespaces/${ns}/events`)).items
    .filter((e) => names.has(`${e.involvedObject?.kind ?? ''}/${e.involvedObject?.namespace ?? ''}/${e.involvedObject?.name ?? ''}`))));
  const when = (e: EventObj): string => e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '';
  const items = [...own.items, ...theirs.flat()].sort((a, b) => (when(a) < when(b) ? 1 : -1)).slice(0, 500).map((e) => ({
    type: e['type'], reason: e['reason'], message: e['message'], count: e['count'] ?? 1,
    firstTimestamp: e.firstTimestamp ?? e.eventTime, lastTimestamp: when(e), involvedObject: e.involvedObject,
  }));
  sendJson(r.res, 200, { items });
}

export async function handleRevisionMetadata(ctx: ApiContext, r: Request): Promise<void> {
  const app = authorizedApp(ctx, r.who, r.params['name'] ?? '', 'get');
  const revision = r.params['revision'] ?? '';
  if (!/^[0-9a-f]{7,40}$/i.test(revision)) throw new HttpError(400, `revision ${revision}: not a commit SHA`);
  const fromHistory = ((app['status'] as { history?: { revision: string; revisionMetadata?: Record<string, string> }[] } | undefined)?.history ?? [])
    .find((h) => h.revision.startsWith(revision.toLowerCase()));
  if (fromHistory?.revisionMetadata) { sendJson(r.res, 200, { sha: fromHistory.revision, ...fromHistory.revisionMetadata }); return; }
  const deps = controllerOf(ctx);
  const repo = (app['spec'] as { source?: { repoURL?: string } } | undefined)?.source?.repoURL ?? '';
  try {
    const c = await deps.repos.commitInfo(repo, revision);
    sendJson(r.res, 200, { sha: revision, author: c.author, date: c.date, message: c.message });
  } catch (e) {
    throw new HttpError(404, `revision ${revision} of ${repo}: ${(e as Error).message}`);
  }
}
