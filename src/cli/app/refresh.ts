// `fjord app refresh APP [--hard]`: ask Fjord to look at Git now (hard: also drop the rendered
// manifests cache) and wait until the controller has taken the request, then show the result.
import type { Command } from 'commander';
import type { Application } from '../../client/types.js';
import { appSubcommand, parseTimeout, runAction, withClient, type ConnectionOptions } from './command.js';
import { describeState, waitForApplication } from './waiter.js';

interface RefreshOptions extends ConnectionOptions {
  hard?: boolean;
  timeout: string;
}

/** The controller removes the refresh annotation (`…/refresh`) once it has refreshed. */
export function refreshPending(app: Application): boolean {
  return Object.keys(app.metadata.annotations ?? {}).some((k) => k.endsWith('/refresh'));
}

export function refreshCommand(): Command {
  return appSubcommand('refresh', 're-read Git now (--hard: also re-render) and show the result')
    .argument('<app>', 'Application name')
    .option('--hard', 'hard refresh: also drop cached manifests')
    .option('--timeout <duration>', 'how long to wait for the controller (0: no limit)', '1m')
    .action((name: string, o: RefreshOptions) => runAction(async () => {
      const timeoutMs = parseTimeout(o.timeout);
      return withClient(o, async (client) => {
        const requested = await client.getApplication(name, o.hard ? 'hard' : 'normal');
        const app = refreshPending(requested)
          ? await waitForApplication(client, name, (a) => a !== undefined && !refreshPending(a), { timeoutMs, what: 'to be refreshed' })
          : requested;
        process.stdout.write(`application ${name} refreshed${o.hard ? ' (hard)' : ''}: ${describeState(app)}\n`);
        return 0;
      });
    }));
}
