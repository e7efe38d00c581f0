// `fjord demo`: the embedded default, stopped with Ctrl-C.
import { Command } from 'commander';
import { runDemo } from '../demo/demo.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description('run Fjord on the embedded default: a local cluster, a local Git server with the example config repository, the web UI')
    .option('--cluster-name <name>', 'name of the local cluster the demo starts (and removes on exit)', 'demo')
    .option('--port <port>', 'port of the web UI and API on 127.0.0.1 (another free port when it is taken)', '8080')
    .action(async (o: { clusterName: string; port: string }) => {
      const stop = new AbortController();
      const onSignal = (): void => { stop.abort(); };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await runDemo({
          clusterName: o.clusterName,
          port: Number.parseInt(o.port, 10),
          signal: stop.signal,
          log: (m) => { process.stderr.write(`fjord: ${m}\n`); },
          print: (l) => { process.stdout.write(`${l}\n`); },
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
