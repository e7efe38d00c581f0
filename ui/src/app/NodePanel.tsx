// The side panel of a selected resource: summary, live manifest, diff against Git, and events.
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { KubeEvent, ManagedResource, ResourceNode, ResourceResult as ResultRow } from '../api/types';
import { HealthBadge, SyncBadge, kindLabel } from '../common/icons';
import { dateTime, resourceId, timeAgo, toYaml } from '../common/format';
import { DiffView } from './DiffView';

type Tab = 'summary' | 'manifest' | 'diff' | 'events';

interface Props {
  app: string;
  node: ResourceNode;
  managed: ManagedResource | undefined;
  result: ResultRow | undefined;
  events: readonly KubeEvent[];
  onClose: () => void;
}

export function NodePanel({ app, node, managed, result, events, onClose }: Props): React.JSX.Element {
  const [tab, setTab] = useState<Tab>(managed?.diff ? 'diff' : 'summary');
  const ref = useRef<HTMLElement>(null);
  // In a narrow window the panel sits below the tree: bring it into view when a node is chosen.
  useEffect(() => { if (window.innerWidth < 900) ref.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }); }, []);
  const mine = events.filter((e) => e.involvedObject?.kind === node.kind && e.involvedObject.name === node.name);
  const tabs: [Tab, string][] = [['summary', 'Summary'], ['manifest', 'Live manifest'], ['diff', 'Diff'], ['events', `Events${mine.length ? ` (${mine.length})` : ''}`]];
  return (
    <aside ref={ref} className="panel" aria-label={`${node.kind} ${node.name}`} data-testid="node-panel">
      <header className="panel-head">
        <span className={`kind kind-${kindLabel(node.kind)}`}>{kindLabel(node.kind)}</span>
        <div className="panel-title"><strong>{node.name}</strong><small>{node.kind}{node.namespace ? ` · ${node.namespace}` : ''}</small></div>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close panel">✕</button>
      </header>
      <nav className="tabs small" role="tablist">
        {tabs.map(([t, label]) => <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} onClick={() => { setTab(t); }}>{label}</button>)}
      </nav>
      <div className="panel-body">
        {tab === 'summary' && <Summary node={node} result={result} managed={managed} />}
        {tab === 'manifest' && <Manifest app={app} node={node} />}
        {tab === 'diff' && (managed ? <DiffView diff={managed.diff} /> : <p className="muted">Not managed from Git (owned by another resource): there is nothing to compare.</p>)}
        {tab === 'events' && <EventList events={mine} />}
      </div>
    </aside>
  );
}

function Summary({ node, result, managed }: { node: ResourceNode; result: ResultRow | undefined; managed: ManagedResource | undefined }): React.JSX.Element {
  const rows: [string, React.ReactNode][] = [
    ['Kind', `${node.group ? `${node.group}/` : ''}${node.version ?? ''} ${node.kind}`],
    ['Namespace', node.namespace || '(cluster)'],
    ['Health', node.health ? <HealthBadge status={node.health.status} /> : '—'],
    ['Sync', node.status ?? managed?.status ? <SyncBadge status={node.status ?? managed?.status} /> : 'not managed'],
  ];
  if (node.health?.message) rows.push(['Health message', node.health.message]);
  for (const i of node.info ?? []) rows.push([i.name, i.value]);
  if (node.images?.length) rows.push(['Images', <span className="mono">{node.images.join(', ')}</span>]);
  if (node.createdAt) rows.push(['Created', `${dateTime(node.createdAt)} (${timeAgo(node.createdAt)})`]);
  if (result) rows.push(['Last sync', `${result.status}${result.message ? `: ${result.message}` : ''}`]);
  return (
    <>
      {result?.drift && <div className="banner warn" data-testid="drift"><strong>Drift reverted.</strong> {result.drift}</div>}
      <dl className="kv">{rows.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}</dl>
    </>
  );
}

function Manifest({ app, node }: { app: string; node: ResourceNode }): React.JSX.Element {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = resourceId(node);
  useEffect(() => {
    setText(null);
    setError(null);
    api.resource(app, node).then((r) => { setText(toYaml(r.manifest)); }, (e: unknown) => { setError(e instanceof Error ? e.message : String(e)); });
  }, [app, id]);
  if (error !== null) return <div className="banner error">{error}</div>;
  if (text === null) return <p className="muted">Loading…</p>;
  return <pre className="code" data-testid="manifest">{text}</pre>;
}

export function EventList({ events }: { events: readonly KubeEvent[] }): React.JSX.Element {
  if (events.length === 0) return <p className="muted">No events.</p>;
  return (
    <ul className="events">
      {events.map((e, i) => (
        <li key={i} className={e.type === 'Warning' ? 'warning' : ''}>
          <div><span className={`chip ${e.type === 'Warning' ? 'warn' : ''}`}>{e.reason}</span> <small className="muted">{timeAgo(e.lastTimestamp ?? e.firstTimestamp)}{(e.count ?? 1) > 1 ? ` · ×${e.count ?? 1}` : ''}{e.involvedObject?.name ? ` · ${e.involvedObject.kind ?? ''} ${e.involvedObject.name}` : ''}</small></div>
          <div className="event-msg">{e.message}</div>
        </li>
      ))}
    </ul>
  );
}
