// The sync dialog: prune, dry run, optional revision, and which resources to sync.
import { useState } from 'react';
import type { ResourceStatus, SyncRequest } from '../api/types';
import { SyncIcon } from '../common/icons';
import { resourceId } from '../common/format';

interface Props {
  resources: readonly ResourceStatus[];
  busy: boolean;
  onSubmit: (req: SyncRequest) => void;
  onCancel: () => void;
}

export function SyncDialog({ resources, busy, onSubmit, onCancel }: Props): React.JSX.Element {
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [revision, setRevision] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(resources.map(resourceId)));
  const all = chosen.size === resources.length;
  const toggle = (id: string): void => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id); else next.add(id);
    setChosen(next);
  };
  const submit = (e: React.SyntheticEvent): void => {
    e.preventDefault();
    const req: SyncRequest = { prune, dryRun };
    if (revision.trim()) req.revision = revision.trim();
    if (!all) req.resources = resources.filter((r) => chosen.has(resourceId(r))).map((r) => ({ group: r.group, kind: r.kind, namespace: r.namespace, name: r.name }));
    onSubmit(req);
  };
  return (
    <div className="modal-backdrop" role="presentation" onClick={onCancel}>
      <form className="modal" role="dialog" aria-label="Sync" onSubmit={submit} onClick={(e) => { e.stopPropagation(); }}>
        <h2>Sync</h2>
        <div className="modal-body">
          <label className="check"><input type="checkbox" checked={prune} onChange={(e) => { setPrune(e.target.checked); }} /> Prune <small>delete resources no longer in Git</small></label>
          <label className="check"><input type="checkbox" checked={dryRun} onChange={(e) => { setDryRun(e.target.checked); }} /> Dry run <small>validate without changing the cluster</small></label>
          <label className="field"><span>Revision</span><input value={revision} placeholder="target revision (default)" onChange={(e) => { setRevision(e.target.value); }} /></label>
          <div className="res-head">
            <strong>Resources</strong>
            <button type="button" className="link" onClick={() => { setChosen(all ? new Set() : new Set(resources.map(resourceId))); }}>{all ? 'None' : 'All'}</button>
          </div>
          <ul className="res-list">
            {resources.map((r) => {
              const id = resourceId(r);
              return (
                <li key={id}>
                  <label className="check"><input type="checkbox" checked={chosen.has(id)} onChange={() => { toggle(id); }} />
                    <SyncIcon status={r.status} size={14} /> <span className="mono">{r.kind}/{r.name}</span>{r.requiresPruning && <span className="chip warn">prune</span>}</label>
                </li>
              );
            })}
          </ul>
        </div>
        <footer className="modal-foot">
          <button type="button" className="btn" onClick={onCancel}>Cancel</button>
          <button type="submit" className="btn primary" disabled={busy || (resources.length > 0 && chosen.size === 0)}>{busy ? 'Starting…' : dryRun ? 'Dry run' : 'Synchronize'}</button>
        </footer>
      </form>
    </div>
  );
}

export function ConfirmDialog({ title, children, confirm, busy, onConfirm, onCancel }: { title: string; children: React.ReactNode; confirm: string; busy: boolean; onConfirm: () => void; onCancel: () => void }): React.JSX.Element {
  return (
    <div className="modal-backdrop" role="presentation" onClick={onCancel}>
      <div className="modal" role="dialog" aria-label={title} onClick={(e) => { e.stopPropagation(); }}>
        <h2>{title}</h2>
        <div className="modal-body">{children}</div>
        <footer className="modal-foot">
          <button type="button" className="btn" onClick={onCancel}>Cancel</button>
          <button type="button" className="btn primary" disabled={busy} onClick={onConfirm}>{confirm}</button>
        </footer>
      </div>
    </div>
  );
}
