// `fjord app rollback APP [ID]`: deploy the revision of a history entry again (default: the one
// before the latest) and wait for it, like sync. Refused by the server while automated sync is on.
import type { Command } from 'commander';
import type { Application } from '../../client/types.js';
import { appSubcommand, parseTimeout, runAction, UsageError, withClient, type ConnectionOptions } from './command.js';
import { awaitOperation } from './operation.js';

interface RollbackOptions extends ConnectionOptions {
  prune?: boolean;
  dryRun?: boolean;
  timeout: string;
  async?: boolean;
}

export function parseHistoryId(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`history id ${value}: expected a number from \`fjord app history\``);
  return Number(value);
}

/** The given id, else the entry before the latest one. */
export function rollbackTarget(app: Application, id: number | undefined): number {
  const history = app.status?.history ?? [];
  if (id !== undefined) {
    if (!history.some((h) => h.id === id)) throw new UsageError(`application ${app.metadata.name} has no history entry ${id} (ids: ${history.map((h) => h.id).join(', ') || 'none'})`);
    return id;
  }
  const previous = history.at(-2);
  if (!previous) throw new UsageError(`application ${app.metadata.name} has no earlier deployment to roll back to`);
  return previous.id;
}

export function rollbackCommand(): Command {
  return appSubcommand('rollback', 'deploy an earlier history entry again and wait for it')
    .argument('<app>', 'Application name')
    .argument('[id]', 'history id (default: the deployment before the latest)')
    .option('--prune', 'delete resources that are not in that revision')
    .option('--dry-run', 'preview: apply nothing')
    .option('--timeout <duration>', 'how long to wait for the operation (0: no limit)', '5m')
    .option('--async', 'return once the rollback has started')
    .action((name: string, idArg: string | undefined, o: RollbackOptions) => runAction(async () => {
      const timeoutMs = parseTimeout(o.timeout);
      const wanted = idArg === undefined ? undefined : parseHistoryId(idArg);
      return withClient(o, async (client) => {
        const before = await client.getApplication(name);
        const id = rollbackTarget(before, wanted);
        const request = (): Promise<Application> => client.rollback(name, { id, ...(o.prune ? { prune: true } : {}), ...(o.dryRun ? { dryRun: true } : {}) });
        if (o.async) {
          await request();
          process.stdout.write(`rollback of application ${name} to history entry ${id} started\n`);
          return 0;
        }
        return awaitOperation(client, name, before, request, { timeoutMs });
      });
    }));
}
