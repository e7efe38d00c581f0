// The one updating line on stderr while a command waits: sync, health, operation phase and elapsed
// time. Only on a terminal; scripts and CI logs get nothing.
import type { Application } from '../../client/types.js';

/** The line for `app` (undefined: not found; null: no state seen yet). */
export function progressText(name: string, app: Application | undefined | null, elapsedMs: number): string {
  const s = app?.status;
  const phase = s?.operationState?.phase ?? (app?.operation ? 'Requested' : '-');
  const secs = Math.floor(elapsedMs / 1000);
  const elapsed = secs >= 60 ? `${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, '0')}s` : `${secs}s`;
  if (app === null) return `${name}  connecting…  ${elapsed}`;
  if (!app) return `${name}  (not found)  ${elapsed}`;
  return `${name}  sync: ${s?.sync?.status ?? 'Unknown'}  health: ${s?.health?.status ?? 'Unknown'}  operation: ${phase}  ${elapsed}`;
}

export interface Progress {
  update(app: Application | undefined): void;
  stop(): void;
}

export const NO_PROGRESS: Progress = { update: () => undefined, stop: () => undefined };

/** A progress line on `stream` when it is a terminal, else a no-op. */
export function startProgress(name: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return NO_PROGRESS;
  const started = Date.now();
  let last: Application | undefined | null = null;
  const draw = (): void => {
    const width = (stream.columns || 100) - 1;
    stream.write(`\r\x1b[2K${progressText(name, last, Date.now() - started).slice(0, width)}`);
  };
  const timer = setInterval(draw, 1000);
  timer.unref();
  draw();
  return {
    update: (app) => { last = app; draw(); },
    stop: () => { clearInterval(timer); stream.write('\r\x1b[2K'); },
  };
}
