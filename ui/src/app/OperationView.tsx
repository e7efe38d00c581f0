// The current or last sync operation, wave by wave and hook by hook: results grouped by phase
// (PreSync, Sync, PostSync, SyncFail), then by wave, each row with its status, hook phase and message.
import type { OperationState, ResourceResult, SyncPhase } from '../api/types';
import { PhaseBadge, kindLabel } from '../common/icons';
import { dateTime, shortSha, timeAgo } from '../common/format';

const PHASES: readonly SyncPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

export function OperationView({ op, onTerminate }: { op: OperationState | undefined; onTerminate: () => void }): React.JSX.Element {
  if (!op) return <p className="muted">No sync has run yet.</p>;
  const results = op.syncResult?.resources ?? [];
  const by = op.operation?.initiatedBy;
  return (
    <section className="operation" data-testid="operation" data-phase={op.phase}>
      <div className="op-head">
        <PhaseBadge phase={op.phase} />
        <span>{op.operation?.sync?.prune ? 'Sync with prune' : 'Sync'} to <span className="mono">{shortSha(op.syncResult?.revision ?? op.operation?.sync?.revision)}</span></span>
        <span className="muted">by {by?.automated ? 'automated sync' : (by?.username ?? 'unknown')}, started {timeAgo(op.startedAt)}{op.finishedAt ? `, finished ${dateTime(op.finishedAt)}` : ''}{op.retryCount ? `, retry ${op.retryCount}` : ''}</span>
        {op.phase === 'Running' && <button type="button" className="btn danger small" onClick={onTerminate}>Terminate</button>}
      </div>
      {op.message && <p className={`op-msg ${op.phase === 'Failed' || op.phase === 'Error' ? 'error' : ''}`}>{op.message}</p>}
      {PHASES.map((p) => <PhaseBlock key={p} phase={p} rows={results.filter((r) => (r.syncPhase ?? 'Sync') === p)} />)}
    </section>
  );
}

function PhaseBlock({ phase, rows }: { phase: SyncPhase; rows: ResourceResult[] }): React.JSX.Element | null {
  if (rows.length === 0) return null;
  const waves = [...new Set(rows.map((r) => r.syncWave ?? 0))].sort((a, b) => a - b);
  return (
    <div className="op-phase">
      <h4>{phase}</h4>
      {waves.map((w) => (
        <div key={w} className="op-wave" data-wave={w}>
          <div className="wave-label">wave {w}</div>
          <ul>{rows.filter((r) => (r.syncWave ?? 0) === w).map((r) => <ResultLine key={`${r.kind}/${r.namespace}/${r.name}/${r.hookType ?? ''}`} r={r} />)}</ul>
        </div>
      ))}
    </div>
  );
}

function ResultLine({ r }: { r: ResourceResult }): React.JSX.Element {
  const state = r.hookPhase ?? r.status;
  return (
    <li className={`op-row st-${state}`}>
      <span className={`kind kind-${kindLabel(r.kind)}`}>{kindLabel(r.kind)}</span>
      <span className="mono op-name">{r.name}</span>
      {r.hookType && <span className="chip hook">hook {r.hookType}</span>}
      <span className={`chip st st-${state}`}>{r.hookPhase ? `${r.hookPhase} · ${r.status}` : r.status}</span>
      {r.message && <span className="op-rmsg">{r.message}</span>}
      {r.drift && <span className="op-drift" title="Drift forensics">⚑ {r.drift}</span>}
    </li>
  );
}
