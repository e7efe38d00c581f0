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
    }, (e: unknown) => { if (mine === gen.current) setError(e instanceof Error ? e.message : String(e)); })
      .finally(() => { if (mine === gen.current) { busy.current = false; setLoading(false); } });
  }, [key]);

  useEffect(() => {
    done.current = false;
    cont.current = undefined;
    fetchPage(true);
  }, [fetchPage]);

  useEffect(() => watchApplications({ projects: q.projects }, (e) => {
    setItems((prev) => applyEvent(prev, e, q, done.current));
  }, setLive), [key]);

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

function applyEvent(prev: Application[], e: StreamEvent, q: ListQuery, allLoaded: boolean): Application[] {
  const name = e.application.metadata.name;
  const i = prev.findIndex((a) => a.metadata.name === name);
  const keep = e.type !== 'DELETED' && matches(e.application, q);
  if (i >= 0) {
    if (!keep) return prev.filter((_, j) => j !== i);
    const next = prev.slice();
    next[i] = e.application;
    return next;
  }
  if (!keep) return prev;
  // Not loaded yet: insert only when it sorts inside what is loaded, else its page brings it.
  const last = prev[prev.length - 1];
  if (!allLoaded && last !== undefined && name > last.metadata.name) return prev;
  return [...prev, e.application].sort(byName);
}
