// One Application's page data: the Application (live from the SSE stream), its resource tree,
// managed resources (with diffs) and events, refetched shortly after each change of the Application.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { watchApplications } from '../api/stream';
import type { Application, KubeEvent, ManagedResource, ResourceNode } from '../api/types';

export interface AppData {
  app: Application | null;
  tree: ResourceNode[];
  managed: ManagedResource[];
  events: KubeEvent[];
  error: string | null;
  deleted: boolean;
  live: boolean;
  reload: () => void;
  setApp: (a: Application) => void;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function useApp(name: string): AppData {
  const [app, setApp] = useState<Application | null>(null);
  const [tree, setTree] = useState<ResourceNode[]>([]);
  const [managed, setManaged] = useState<ManagedResource[]>([]);
  const [events, setEvents] = useState<KubeEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [deleted, setDeleted] = useState(false);
  const [live, setLive] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const loadDetails = useCallback((): void => {
    api.tree(name).then((r) => { setTree(r.nodes); }, (e: unknown) => { setError(message(e)); });
    api.managed(name).then((r) => { setManaged(r.items); }, (e: unknown) => { setError(message(e)); });
    api.events(name).then((r) => { setEvents(r.items); }, () => undefined);
  }, [name]);

  const reload = useCallback((): void => {
    api.get(name).then((a) => { setApp(a); setError(null); loadDetails(); }, (e: unknown) => { setError(message(e)); });
  }, [name, loadDetails]);

  /** Coalesces bursts of changes (a sync writes status many times) into one refetch. */
  const soon = useCallback((): void => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => { timer.current = undefined; loadDetails(); }, 400);
  }, [loadDetails]);

  useEffect(() => {
    setApp(null); setTree([]); setManaged([]); setEvents([]); setDeleted(false);
    reload();
    const stop = watchApplications({ name }, (e) => {
      if (e.application.metadata.name !== name) return;
      if (e.type === 'DELETED') { setDeleted(true); return; }
      setApp(e.application);
      soon();
    }, setLive);
    const poll = setInterval(loadDetails, 30_000);
    return () => { stop(); clearInterval(poll); clearTimeout(timer.current); timer.current = undefined; };
  }, [name, reload, soon, loadDetails]);

  return { app, tree, managed, events, error, deleted, live, reload, setApp };
}
