// Deployment history, newest first: commit SHA (linked to the commit on GitHub/GitLab-style hosts),
// author and message, when and by whom; each older entry can be rolled back to.
import type { HistoryEntry } from '../api/types';
import { commitUrl, dateTime, shortSha, timeAgo } from '../common/format';

interface Props { history: readonly HistoryEntry[]; repoURL: string | undefined; canRollback: boolean; onRollback: (h: HistoryEntry) => void }

export function HistoryTable({ history, repoURL, canRollback, onRollback }: Props): React.JSX.Element {
  if (history.length === 0) return <p className="muted">Nothing deployed yet.</p>;
  const rows = [...history].sort((a, b) => b.id - a.id);
  const current = rows[0]?.id;
  return (
    <div className="table-wrap">
      <table className="history" data-testid="history">
        <thead><tr><th>#</th><th>Revision</th><th>Message</th><th>Author</th><th>Deployed</th><th /></tr></thead>
        <tbody>
          {rows.map((h) => {
            const url = commitUrl(h.source?.repoURL ?? repoURL, h.revision);
            const msg = h.revisionMetadata?.message?.split('\n')[0] ?? '';
            return (
              <tr key={h.id}>
                <td className="muted">{h.id}</td>
                <td className="mono">{url ? <a href={url} target="_blank" rel="noreferrer">{shortSha(h.revision)}</a> : <span title={h.revision}>{shortSha(h.revision)}</span>}</td>
                <td className="msg" title={h.revisionMetadata?.message}>{msg}</td>
                <td>{h.revisionMetadata?.author?.replace(/\s*<.*>$/, '') ?? ''}</td>
                <td title={dateTime(h.deployedAt)}>{timeAgo(h.deployedAt)}{h.initiatedBy?.automated ? ' · auto' : h.initiatedBy?.username ? ` · ${h.initiatedBy.username}` : ''}</td>
                <td>{h.id === current ? <span className="chip">current</span> : (
                  <button type="button" className="btn small" disabled={!canRollback} title={canRollback ? `Roll back to ${shortSha(h.revision)}` : 'Turn automated sync off to roll back'} onClick={() => { onRollback(h); }}>Rollback</button>)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
