// The application list's data: pages from the API (limit/continue) loaded as the user scrolls,
// filters and search mapped to query params, and live updates from the SSE stream merged in.
import { useCallback, useEffect, useRef, useState } from 'react';
import { listApplications, type ListQuery } from '../api/client';
import { watchApplications } from '../api/stream';
import type { Application, StreamEvent } from '../api/types';

const PAGE = 200;

export interface AppListState {
  items: Application[];
  total: number | undefined;
  loading: boolean;
  error: string | null;
  live: boolean;
  loadMore: () => void;
}

export function useAppList(q: ListQuery): AppListState {
  const [items, setItems] = useState<Application[]>([]);
  const [total, setTotal] = useState<number | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [ready, setReady] = useState<string | null>(null);
  const cont = useRef<string | undefined>(undefined);
  const done = useRef(false);
  const busy = useRef(false);
  const gen = useRef(0);
  const key = JSON.stringify(q);

  const fetchPage = useCallback((reset: boolean): void => {
    if (busy.current && !reset) return;
    if (done.current && !reset) return;
    const mine = reset ? ++gen.current : gen.current;
    busy.current = true;
    setLoading(true);
    listApplications(q, PAGE, reset ? undefined : cont.current).then((page) => {
      if (mine !== gen.current) return;
      cont.current = page.metadata.continue || undefined;
      done.current = cont.current === undefined;
      setTotal(page.metadata.total);
      setItems((prev) => (reset ? page.items : mergeSorted(prev, page.items)));
      setError(null);
      setReady(key);
    }, (e: unknown) => { if (mine === gen.current) setError(e instanceof Error ? e.message : String(e)); })
      .finally(() => { if (mine === gen.current) { busy.current = false; setLoading(false); } });
  }, [key]);

  useEffect(() => {
    done.current = false;
    cont.current = undefined;
    fetchPage(true);
  }, [fetchPage]);

  // Events come in bursts (the stream starts with every Application's current state): apply them in
  // batches, a few times a second, instead of re-rendering 5,000 times. The stream opens once the first
  // page is shown, so that burst never delays the first rows (it carries the current state: no gap).
  useEffect(() => {
    if (ready !== key) return undefined;
    let queue: StreamEvent[] = [];
    const flush = setInterval(() => {
      if (queue.length === 0) return;
      const batch = queue;
      queue = [];
      setItems((prev) => applyEvents(prev, batch, q, done.current));
    }, 250);
    const stop = watchApplications({ projects: q.projects }, (e) => { queue.push(e); }, setLive);
    return () => { stop(); clearInterval(flush); };
  }, [key, ready]);

  const loadMore = useCallback(() => { fetchPage(false); }, [fetchPage]);
  return { items, total, loading, error, live, loadMore };
}

function byName(a: Application, b: Application): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

function mergeSorted(prev: Application[], next: Application[]): Application[] {
  const seen = new Set(prev.map((a) => a.metadata.name));
  return [...prev, ...next.filter((a) => !seen.has(a.metadata.name))].sort(byName);
}

/** Does an Application match the list's filters? (The stream only filters by project.) */
export function matches(app: Application, q: ListQuery): boolean {
  if (q.projects.length > 0 && !q.projects.includes(app.spec.project ?? 'default')) return false;
  if (q.sync && (app.status?.sync?.status ?? 'Unknown') !== q.sync) return false;
  if (q.health && (app.status?.health?.status ?? 'Unknown') !== q.health) return false;
  return !q.search || app.metadata.name.includes(q.search);
}

/** Applies a batch of stream events: updates and removals in place; additions only inside the loaded range. */
function applyEvents(prev: Application[], events: readonly StreamEvent[], q: ListQuery, allLoaded: boolean): Application[] {
  const byKey = new Map(prev.map((a) => [a.metadata.name, a]));
  const last = prev[prev.length - 1]?.metadata.name;
  let changed = false;
  for (const e of events) {
    const name = e.application.metadata.name;
    const had = byKey.get(name);
    const keep = e.type !== 'DELETED' && matches(e.application, q);
    if (!keep) { if (had) { byKey.delete(name); changed = true; } continue; }
    // Not loaded yet and beyond the last loaded page: its page brings it.
    if (!had && !allLoaded && last !== undefined && name > last) continue;
    if (had?.metadata.resourceVersion !== undefined && had.metadata.resourceVersion === e.application.metadata.resourceVersion) continue;
    byKey.set(name, e.application);
    changed = true;
  }
  return changed ? [...byKey.values()].sort(byName) : prev;
}
