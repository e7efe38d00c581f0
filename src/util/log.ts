// A small structured logger: one JSON line per entry on stderr (or a human line when asked), child
// loggers carry fields such as the Application and the reconcile ID. Passed in, never global.
export type Fields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  debug(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

export type LogFormat = 'json' | 'text';

export function createLogger(opts: { format?: LogFormat; level?: 'debug' | 'info'; write?: (line: string) => void; fields?: Fields } = {}): Logger {
  const write = opts.write ?? ((line: string): void => { process.stderr.write(`${line}\n`); });
  const base = opts.fields ?? {};
  const emit = (level: string, msg: string, fields?: Fields): void => {
    if (level === 'debug' && opts.level !== 'debug') return;
    const all = { ...base, ...fields };
    if (opts.format === 'text') {
      const extra = Object.entries(all).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
      write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${extra ? ` ${extra}` : ''}`);
    } else {
      write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...all }));
    }
  };
  return {
    info: (m, f) => { emit('info', m, f); },
    warn: (m, f) => { emit('warn', m, f); },
    error: (m, f) => { emit('error', m, f); },
    debug: (m, f) => { emit('debug', m, f); },
    child: (fields) => createLogger({ ...opts, fields: { ...base, ...fields } }),
  };
}

export const silentLogger: Logger = createLogger({ write: () => undefined });
