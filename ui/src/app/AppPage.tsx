// An Application's page: header with actions, conditions, source summary, and tabs for the resource
// tree (with the node side panel), the last sync (wave by wave), history and events.
import { useMemo, useState } from 'react';
import type { ResourceNode, ResourceResult } from '../api/types';
import { HealthBadge, SyncBadge } from '../common/icons';
import { navigate, onLinkClick } from '../common/router';
import { clusterLabel, repoLabel, resourceId, shortSha, timeAgo } from '../common/format';
import { useApp } from './useApp';
import { useActions } from './useActions';
import { ResourceTree } from './ResourceTree';
import { NodePanel, EventList } from './NodePanel';
import { OperationView } from './OperationView';
import { HistoryTable } from './HistoryTable';
import { ConfirmDialog, SyncDialog } from './SyncDialog';

type Tab = 'tree' | 'sync' | 'history' | 'events';

export function AppPage({ name, node }: { name: string; node: string | undefined }): React.JSX.Element {
  const d = useApp(name);
  const act = useActions(name, d);
  const [tab, setTab] = useState<Tab>('tree');
  const root = useMemo<ResourceNode | null>(() => (d.app ? {
    group: 'fjord.dev', kind: 'Application', namespace: d.app.metadata.namespace ?? '', name,
    health: { status: d.app.status?.health?.status ?? 'Unknown' }, status: d.app.status?.sync?.status ?? 'Unknown',
  } : null), [d.app, name]);
  const resources = useMemo(() => d.app?.status?.resources ?? [], [d.app]);
  if (!d.app || !root) return <main className="page">{d.error !== null ? <div className="banner error" role="alert">{d.error}</div> : <p className="muted pad">Loading {name}…</p>}</main>;
  const a = d.app;
  const st = a.status;
  const src = a.spec.source ?? a.spec.sources?.[0];
  const op = st?.operationState;
  const selectedNode = node === undefined ? undefined : (d.tree.find((n) => resourceId(n) === node) ?? resources.find((r) => resourceId(r) === node));
  const select = (id: string | undefined): void => { navigate(`/applications/${encodeURIComponent(name)}${id ? `?node=${encodeURIComponent(id)}` : ''}`, true); };
  const tabs: [Tab, string][] = [['tree', 'Resources'], ['sync', `Last sync${op ? ` · ${op.phase}` : ''}`], ['history', `History (${st?.history?.length ?? 0})`], ['events', 'Events']];
  return (
    <main className="page app-page">
      <div className="crumbs"><a href="/applications" onClick={onLinkClick('/applications')}>Applications</a> / <span>{name}</span></div>
      <header className="app-header">
        <div className="app-title">
          <h1>{name}</h1>
          <div className="badges"><SyncBadge status={st?.sync?.status} /><HealthBadge status={st?.health?.status} />{op?.phase === 'Running' && <span className="badge phase-Running">Syncing…</span>}</div>
        </div>
        <div className="actions">
          <button type="button" className="btn primary" onClick={() => { act.open('sync'); }}>Sync</button>
          <button type="button" className="btn" onClick={() => { act.refresh('normal'); }} disabled={act.busy}>Refresh</button>
          <button type="button" className="btn" onClick={() => { act.refresh('hard'); }} disabled={act.busy} title="Re-render from Git, ignoring caches">Hard refresh</button>
        </div>
      </header>
      {d.deleted && <div className="banner warn">This Application was deleted.</div>}
      {act.notice && <div className={`banner ${act.notice.kind}`} role={act.notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">{act.notice.text}<button type="button" className="icon-btn" onClick={act.dismiss} aria-label="Dismiss">✕</button></div>}
      {(st?.conditions ?? []).map((c) => <div key={c.type + c.message} className={`banner ${/Error|Warning/.test(c.type) ? 'error' : 'warn'}`} data-testid="condition"><strong>{c.type}</strong> {c.message}</div>)}
      <DriftNote results={op?.syncResult?.resources ?? []} onShow={() => { setTab('sync'); }} />
      <dl className="facts">
        <div><dt>Project</dt><dd>{a.spec.project ?? 'default'}</dd></div>
        <div><dt>Repository</dt><dd title={src?.repoURL}>{repoLabel(src?.repoURL)}</dd></div>
        <div><dt>Path</dt><dd>{src?.path ?? src?.chart ?? '/'}</dd></div>
        <div><dt>Target</dt><dd>{src?.targetRevision ?? 'HEAD'} <span className="mono muted">{shortSha(st?.sync?.revision)}</span></dd></div>
        <div><dt>Destination</dt><dd>{clusterLabel(a.spec.destination)} · {a.spec.destination?.namespace ?? ''}</dd></div>
        <div><dt>Auto-sync</dt><dd>{a.spec.syncPolicy?.automated ? `on${a.spec.syncPolicy.automated.prune ? ', prune' : ''}${a.spec.syncPolicy.automated.selfHeal ? ', self-heal' : ''}` : 'off'}</dd></div>
        <div><dt>Reconciled</dt><dd title="Last written status. Fjord watches live objects and polls Git continuously; an Application where nothing changed has its status rewritten only every status heartbeat (10 minutes by default).">{timeAgo(st?.reconciledAt)} <span className={`live-dot${d.live ? ' on' : ''}`} title={d.live ? 'Live' : 'Reconnecting…'} /></dd></div>
      </dl>
      {op?.phase === 'Running' && tab !== 'sync' && <OperationView op={op} onTerminate={() => { act.open('terminate'); }} />}
      <nav className="tabs" role="tablist">
        {tabs.map(([t, label]) => <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} onClick={() => { setTab(t); }}>{label}</button>)}
      </nav>
      <div className={`app-body${selectedNode && tab === 'tree' ? ' with-panel' : ''}`}>
        {tab === 'tree' && <ResourceTree root={root} nodes={d.tree} managed={resources} selected={node} onSelect={(_, id) => { select(id); }} />}
        {tab === 'tree' && selectedNode && node !== undefined && (
          <NodePanel key={node} app={name} node={selectedNode} managed={d.managed.find((m) => resourceId(m) === node)}
            result={op?.syncResult?.resources?.find((r) => resourceId(r) === node && !r.hookType)} events={d.events} onClose={() => { select(undefined); }} />)}
        {tab === 'sync' && <OperationView op={op} onTerminate={() => { act.open('terminate'); }} />}
        {tab === 'history' && <HistoryTable history={st?.history ?? []} repoURL={src?.repoURL} canRollback={!a.spec.syncPolicy?.automated} onRollback={(h) => { act.open({ rollback: h }); }} />}
        {tab === 'events' && <EventList events={d.events} />}
      </div>
      {act.dialog === 'sync' && <SyncDialog resources={resources} busy={act.busy} onSubmit={(req) => { act.sync(req, () => { setTab('sync'); }); }} onCancel={act.close} />}
      {act.dialog === 'terminate' && <ConfirmDialog title="Terminate sync" confirm="Terminate" busy={act.busy} onConfirm={act.terminate} onCancel={act.close}>Stop the running sync operation of {name}?</ConfirmDialog>}
      {act.dialog !== null && typeof act.dialog === 'object' && (
        <ConfirmDialog title="Rollback" confirm="Roll back" busy={act.busy} onConfirm={() => { act.rollback(() => { setTab('sync'); }); }} onCancel={act.close}>
          Roll {name} back to history #{act.dialog.rollback.id}, revision <span className="mono">{shortSha(act.dialog.rollback.revision)}</span>{act.dialog.rollback.revisionMetadata?.message ? ` (“${act.dialog.rollback.revisionMetadata.message.split('\n')[0] ?? ''}”)` : ''}?
        </ConfirmDialog>)}
    </main>
  );
}

/** Drift forensics at a glance: what the last sync put back, and who had changed it. */
function DriftNote({ results, onShow }: { results: readonly ResourceResult[]; onShow: () => void }): React.JSX.Element | null {
  const drifted = results.filter((r) => r.drift);
  const firstDrift = drifted[0];
  if (!firstDrift) return null;
  return (
    <div className="banner warn" data-testid="drift-note">
      <strong>Drift reverted</strong>
      {firstDrift.kind} {firstDrift.name}: {firstDrift.drift}
      {drifted.length > 1 && ` (and ${drifted.length - 1} more)`}{' '}
      <button type="button" className="link" onClick={onShow}>Details</button>
    </div>
  );
}
