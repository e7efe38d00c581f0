// The application list: status and health at a glance, filters and name search (API query params),
// a windowed list over paginated results, and live updates.
import { useEffect, useMemo, useState } from 'react';
import { api, type ListQuery } from '../api/client';
import { HEALTH_CODES, SYNC_CODES, type Application } from '../api/types';
import { HealthBadge, HealthIcon, SyncBadge, SyncIcon } from '../common/icons';
import { repoLabel, shortSha, timeAgo } from '../common/format';
import { onLinkClick } from '../common/router';
import { VirtualList } from '../common/VirtualList';
import { useAppList } from './useAppList';
import { StatusSummary } from './StatusSummary';

const ROW = 58;

export function AppList(): React.JSX.Element {
  const [q, setQ] = useState<ListQuery>(() => readQuery());
  const [searchText, setSearchText] = useState(q.search);
  const [projects, setProjects] = useState<string[]>([]);
  useEffect(() => { api.projects().then((r) => { setProjects(r.items.map((p) => p.metadata.name)); }, () => undefined); }, []);
  useEffect(() => {
    const t = setTimeout(() => { setQ((prev) => (prev.search === searchText ? prev : { ...prev, search: searchText })); }, 250);
    return () => { clearTimeout(t); };
  }, [searchText]);
  useEffect(() => { writeQuery(q); }, [q]);
  const list = useAppList(q);
  const now = useNow(15_000);
  return (
    <main className="page list-page">
      <div className="toolbar">
        <h1>Applications</h1>
        <input className="search" type="search" placeholder="Search by name" aria-label="Search applications by name"
          value={searchText} onChange={(e) => { setSearchText(e.target.value); }} />
        <Select label="Project" value={q.projects[0] ?? ''} options={projects} onChange={(v) => { setQ({ ...q, projects: v ? [v] : [] }); }} />
        <Select label="Sync" value={q.sync} options={SYNC_CODES} onChange={(v) => { setQ({ ...q, sync: v }); }} />
        <Select label="Health" value={q.health} options={HEALTH_CODES} onChange={(v) => { setQ({ ...q, health: v }); }} />
        <span className="count" data-testid="app-count">
          {list.total === undefined ? '' : `${list.items.length.toLocaleString()} of ${list.total.toLocaleString()}`}
          <span className={`live-dot${list.live ? ' on' : ''}`} title={list.live ? 'Live updates on' : 'Reconnecting…'} />
        </span>
      </div>
      <StatusSummary q={q} onChange={setQ} />
      {list.error !== null && <div className="banner error" role="alert">{list.error}</div>}
      <div className="app-table" role="table" aria-label="Applications">
        <div className="app-head" role="row">
          <span /><span>Name</span><span>Project</span><span>Sync</span><span>Health</span><span>Revision</span><span>Last sync</span>
        </div>
        {list.items.length === 0 && !list.loading && list.error === null
          ? <div className="empty">No applications match.</div>
          : <VirtualList items={list.items} rowHeight={ROW} rowKey={(a) => a.metadata.name} onNearEnd={list.loadMore}
              renderRow={(a) => <AppRow app={a} now={now} />} className="app-rows" />}
      </div>
    </main>
  );
}

function AppRow({ app, now }: { app: Application; now: number }): React.JSX.Element {
  const name = app.metadata.name;
  const src = app.spec.source ?? app.spec.sources?.[0];
  const sync = app.status?.sync?.status;
  const health = app.status?.health?.status;
  const op = app.status?.operationState;
  const last = op?.finishedAt ?? app.status?.history?.at(-1)?.deployedAt;
  const href = `/applications/${encodeURIComponent(name)}`;
  return (
    <a className="app-row" href={href} onClick={onLinkClick(href)} data-app={name} data-sync={sync ?? 'Unknown'} data-health={health ?? 'Unknown'}>
      <span className="app-icons"><HealthIcon status={health} size={18} /><SyncIcon status={sync} size={18} /></span>
      <span className="app-name">
        <strong>{name}</strong>
        <small title={src?.repoURL}>{repoLabel(src?.repoURL)}{src?.path ? ` · ${src.path}` : ''}{src?.targetRevision ? ` @ ${src.targetRevision}` : ''}</small>
      </span>
      <span className="app-project"><span className="chip">{app.spec.project ?? 'default'}</span></span>
      <span className="app-sync"><SyncBadge status={sync} />{op?.phase === 'Running' && <span className="chip running">Syncing</span>}</span>
      <span className="app-health"><HealthBadge status={health} /></span>
      <span className="app-rev mono" title={app.status?.sync?.revision}>{shortSha(app.status?.sync?.revision)}</span>
      <span className="app-time" title={last}>{timeAgo(last, now)}</span>
    </a>
  );
}

function Select({ label, value, options, onChange }: { label: string; value: string; options: readonly string[]; onChange: (v: string) => void }): React.JSX.Element {
  return (
    <label className={`select ${label.toLowerCase()}-filter`}>
      <span>{label}</span>
      <select value={value} onChange={(e) => { onChange(e.target.value); }} aria-label={`${label} filter`}>
        <option value="">All</option>
        {options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </label>
  );
}

function readQuery(): ListQuery {
  const p = new URLSearchParams(location.search);
  return { projects: p.getAll('project'), sync: p.get('sync') ?? '', health: p.get('health') ?? '', search: p.get('search') ?? '' };
}

function writeQuery(q: ListQuery): void {
  const p = new URLSearchParams();
  for (const pr of q.projects) p.append('project', pr);
  if (q.sync) p.set('sync', q.sync);
  if (q.health) p.set('health', q.health);
  if (q.search) p.set('search', q.search);
  const url = `/applications${p.size > 0 ? `?${p.toString()}` : ''}`;
  if (location.pathname + location.search !== url) history.replaceState(null, '', url);
}

export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => { const t = setInterval(() => { setNow(Date.now()); }, everyMs); return () => { clearInterval(t); }; }, [everyMs]);
  return useMemo(() => now, [now]);
}
