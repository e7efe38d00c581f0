// A CPU profile of a running process on demand, for the 3 a.m. question "what is it doing?" without a
// restart: with `fjord run --cpu-profile-dir DIR`, SIGUSR2 starts V8's sampling profiler and the next
// SIGUSR2 writes what it saw to DIR/fjord-<pid>-<n>.cpuprofile (open it in Chrome DevTools or
// summarise it with bench/profile-summary.ts). Nothing is sampled between the two signals' pairs.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export function profileOnSignal(dir: string, log: (msg: string, fields: Record<string, unknown>) => void): () => void {
  let session: Session | undefined;
  let n = 0;
  let busy = false;
  const toggle = async (): Promise<void> => {
    if (!session) {
      const s = new Session();
      s.connect();
      await s.post('Profiler.enable');
      await s.post('Profiler.start');
      session = s;
      log('CPU profile started (SIGUSR2 again writes it)', { dir });
      return;
    }
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    const file = join(dir, `fjord-${process.pid}-${++n}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    log('CPU profile written', { file });
  };
  const on = (): void => {
    if (busy) return;
    busy = true;
    toggle().catch((e: unknown) => { log('CPU profile failed', { error: (e as Error).message }); }).finally(() => { busy = false; });
  };
  process.on('SIGUSR2', on);
  return () => { process.off('SIGUSR2', on); session?.disconnect(); };
}
