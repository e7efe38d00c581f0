// The fjord command run from the TypeScript sources (through tsx), so that the benchmark measures the
// code of the working tree without a build step: node --import tsx bench/fjord-cli.ts run …
// With FJORD_BENCH_PROFILE_DIR set, SIGUSR2 starts a CPU profile and the next SIGUSR2 writes it there
// (the benchmark profiles the steady state alone this way; --cpu-prof covers the whole run).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';

function profileOnSignal(dir: string): void {
  let session: Session | undefined;
  let windows = 0;
  process.on('SIGUSR2', () => {
    void (async () => {
      if (!session) {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        return;
      }
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(dir, `window-${++windows}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
      session = undefined;
    })();
  });
}

const dir = process.env['FJORD_BENCH_PROFILE_DIR'];
if (dir) profileOnSignal(dir);
process.exitCode = await main(process.argv);
