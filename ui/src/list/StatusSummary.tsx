// Counts of Applications per health and sync status across all pages (not only the loaded rows):
// one `limit=1` query per status, whose `metadata.total` is the count. Refreshed every 15 s while
// the page is visible. Each count is a button that sets (or clears) that filter.
import { useEffect, useState } from 'react';
import { listApplications, type ListQuery } from '../api/client';
import { HEALTH_CODES, SYNC_CODES, type HealthCode, type SyncCode } from '../api/types';
import { HealthIcon, SyncIcon } from '../common/icons';

type Counts = Partial<Record<`h:${HealthCode}` | `s:${SyncCode}`, number>>;

function useCounts(projects: string[], search: string): Counts {
  const [counts, setCounts] = useState<Counts>({});
  const key = JSON.stringify([projects, search]);
  useEffect(() => {
    let cancelled = false;
    const load = (): void => {
      if (document.hidden) return;
      const base: ListQuery = { projects, search, sync: '', health: '' };
      const asks = [
        ...HEALTH_CODES.map((h) => [`h:${h}`, { ...base, health: h }] as const),
        ...SYNC_CODES.map((s) => [`s:${s}`, { ...base, sync: s }] as const),
      ];
      void Promise.all(asks.map(async ([k, q]) => [k, (await listApplications(q, 1, undefined)).metadata.total] as const))
        .then((pairs) => { if (!cancelled) setCounts(Object.fromEntries(pairs.filter(([, n]) => n !== undefined))); }, () => undefined);
    };
    load();
    const t = setInterval(load, 15_000);
    return () => { cancelled = true; clearInterval(t); };
  }, [key]);
  return counts;
}

export function StatusSummary({ q, onChange }: { q: ListQuery; onChange: (q: ListQuery) => void }): React.JSX.Element {
  const counts = useCounts(q.projects, q.search);
  return (
    <div className="summary" aria-label="Status summary">
      {HEALTH_CODES.map((h) => {
        const n = counts[`h:${h}`] ?? 0;
        if (n === 0 && q.health !== h) return null;
        return (
          <button key={h} type="button" className={`sum${q.health === h ? ' on' : ''}`} aria-pressed={q.health === h} data-health={h}
            onClick={() => { onChange({ ...q, health: q.health === h ? '' : h }); }}>
            <HealthIcon status={h} size={14} />{h}<b>{n.toLocaleString()}</b>
          </button>
        );
      })}
      <span className="sum-sep" />
      {SYNC_CODES.map((s) => {
        const n = counts[`s:${s}`] ?? 0;
        if (n === 0 && q.sync !== s) return null;
        return (
          <button key={s} type="button" className={`sum${q.sync === s ? ' on' : ''}`} aria-pressed={q.sync === s} data-sync={s}
            onClick={() => { onChange({ ...q, sync: q.sync === s ? '' : s }); }}>
            <SyncIcon status={s} size={14} />{s}<b>{n.toLocaleString()}</b>
          </button>
        );
      })}
    </div>
  );
}
