// The app page's actions (sync, refresh, rollback, terminate), their dialogs, and the result or
// error each shows.
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { HistoryEntry, SyncRequest } from '../api/types';
import type { AppData } from './useApp';

type Dialog = null | 'sync' | 'terminate' | { rollback: HistoryEntry };
interface Notice { kind: 'ok' | 'error'; text: string }

export interface Actions {
  dialog: Dialog;
  busy: boolean;
  notice: Notice | null;
  open: (d: Exclude<Dialog, null>) => void;
  close: () => void;
  dismiss: () => void;
  sync: (req: SyncRequest, then: () => void) => void;
  refresh: (kind: 'normal' | 'hard') => void;
  rollback: (then: () => void) => void;
  terminate: () => void;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function useActions(name: string, d: AppData): Actions {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  // Confirmations fade after a while; errors stay until dismissed.
  useEffect(() => {
    if (notice?.kind !== 'ok') return;
    const t = setTimeout(() => { setNotice(null); }, 8000);
    return () => { clearTimeout(t); };
  }, [notice]);
  const run = (what: () => Promise<unknown>, ok: string, then?: () => void): void => {
    setBusy(true);
    setNotice(null);
    what().then(() => { setNotice({ kind: 'ok', text: ok }); setDialog(null); then?.(); }, (e: unknown) => { setNotice({ kind: 'error', text: message(e) }); setDialog(null); })
      .finally(() => { setBusy(false); });
  };
  return {
    dialog, busy, notice,
    open: (x) => { setDialog(x); },
    close: () => { setDialog(null); },
    dismiss: () => { setNotice(null); },
    sync: (req, then) => { run(async () => { d.setApp(await api.sync(name, req)); }, req.dryRun ? 'Dry run started.' : 'Sync started.', then); },
    refresh: (kind) => { run(async () => { d.setApp(await api.get(name, kind)); d.reload(); }, kind === 'hard' ? 'Hard refresh requested.' : 'Refresh requested.'); },
    rollback: (then) => {
      if (dialog === null || typeof dialog !== 'object') return;
      const id = dialog.rollback.id;
      run(async () => { d.setApp(await api.rollback(name, id, false)); }, `Rollback to #${id} started.`, then);
    },
    terminate: () => { run(() => api.terminate(name), 'Termination requested.'); },
  };
}
