// `fjord app wait APP [--sync] [--health] [--operation]`: block until the Application is synced,
// healthy and/or has no operation running (all three when none is chosen), or fail at --timeout.
import type { Command } from 'commander';
import type { Application } from '../../client/types.js';
import { appSubcommand, parseTimeout, runAction, withClient, type ConnectionOptions } from './command.js';
import { describeState, operationIdle, waitForApplication } from './waiter.js';

interface WaitCmdOptions extends ConnectionOptions {
  sync?: boolean;
  health?: boolean;
  operation?: boolean;
  timeout: string;
}

export interface WaitGoals {
  readonly sync: boolean;
  readonly health: boolean;
  readonly operation: boolean;
}

/** The chosen goals; none chosen means all three (as `argocd app wait`). */
export function waitGoals(o: { sync?: boolean; health?: boolean; operation?: boolean }): WaitGoals {
  const any = Boolean(o.sync || o.health || o.operation);
  return { sync: !any || Boolean(o.sync), health: !any || Boolean(o.health), operation: !any || Boolean(o.operation) };
}

export function goalsReached(goals: WaitGoals): (app: Application | undefined) => boolean {
  return (app) => {
    if (!app) return false;
    const s = app.status;
    if (goals.sync && s?.sync?.status !== 'Synced') return false;
    if (goals.health && s?.health?.status !== 'Healthy') return false;
    return !goals.operation || operationIdle(app);
  };
}

export function describeGoals(goals: WaitGoals): string {
  const words = [goals.sync ? 'synced' : '', goals.health ? 'healthy' : '', goals.operation ? 'without a running operation' : ''].filter(Boolean);
  return `to be ${words.join(' and ')}`;
}

export function waitCommand(): Command {
  return appSubcommand('wait', 'wait until an Application is synced, healthy and/or idle')
    .argument('<app>', 'Application name')
    .option('--sync', 'wait until Synced')
    .option('--health', 'wait until Healthy')
    .option('--operation', 'wait until no operation is running')
    .option('--timeout <duration>', 'give up after this long, exit 1 (0: no limit)', '5m')
    .action((name: string, o: WaitCmdOptions) => runAction(async () => {
      const timeoutMs = parseTimeout(o.timeout);
      const goals = waitGoals(o);
      return withClient(o, async (client) => {
        const app = await waitForApplication(client, name, goalsReached(goals), { timeoutMs, what: describeGoals(goals) });
        process.stdout.write(`application ${name}: ${describeState(app)}\n`);
        return 0;
      });
    }));
}
