// `fjord app sync APP`: start a sync (with prune, dry run, a revision, chosen resources) and wait for
// it to finish; exits 1 naming the failed resources when it fails. --async returns once started.
import type { Command } from 'commander';
import type { Application, ResourceRef, SyncRequest } from '../../client/types.js';
import { appSubcommand, parseTimeout, runAction, UsageError, withClient, type ConnectionOptions } from './command.js';
import { awaitOperation } from './operation.js';
import { getOrUndefined } from './waiter.js';

interface SyncOptions extends ConnectionOptions {
  prune?: boolean;
  dryRun?: boolean;
  revision?: string;
  resource?: string[];
  syncOption?: string[];
  timeout: string;
  async?: boolean;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** `GROUP:KIND:NAME` or `GROUP:KIND:NAMESPACE/NAME` (an empty group is the core API: `:ConfigMap:x`). */
export function parseResourceRef(spec: string): ResourceRef {
  const parts = spec.split(':');
  const [group, kind, rest] = parts;
  if (parts.length !== 3 || !kind || !rest) throw new UsageError(`--resource ${spec}: expected GROUP:KIND:NAME or GROUP:KIND:NAMESPACE/NAME (empty GROUP for the core API, e.g. :ConfigMap:web)`);
  const slash = rest.indexOf('/');
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  if (!name || rest.indexOf('/', slash + 1) > 0) throw new UsageError(`--resource ${spec}: expected NAMESPACE/NAME after the kind`);
  return { group: group ?? '', kind, name, ...(slash >= 0 ? { namespace: rest.slice(0, slash) } : {}) };
}

export function syncRequest(o: SyncOptions): SyncRequest {
  return {
    ...(o.revision ? { revision: o.revision } : {}),
    ...(o.prune ? { prune: true } : {}),
    ...(o.dryRun ? { dryRun: true } : {}),
    ...(o.resource?.length ? { resources: o.resource.map(parseResourceRef) } : {}),
    ...(o.syncOption?.length ? { syncOptions: { items: o.syncOption } } : {}),
  };
}

export function syncCommand(): Command {
  return appSubcommand('sync', 'sync an Application to Git and wait for the operation to finish')
    .argument('<app>', 'Application name')
    .option('--prune', 'delete resources that are no longer in Git')
    .option('--dry-run', 'preview: apply nothing')
    .option('--revision <rev>', 'sync to this revision instead of the target')
    .option('--resource <GROUP:KIND:[NAMESPACE/]NAME>', 'sync only this resource (repeatable)', collect)
    .option('--sync-option <opt>', 'a sync option such as Replace=true (repeatable)', collect)
    .option('--timeout <duration>', 'how long to wait for the operation (0: no limit)', '5m')
    .option('--async', 'return once the sync has started')
    .action((name: string, o: SyncOptions) => runAction(async () => {
      const timeoutMs = parseTimeout(o.timeout);
      const body = syncRequest(o);
      return withClient(o, async (client) => {
        const before = await getOrUndefined(client, name);
        const request = (): Promise<Application> => client.sync(name, body);
        if (o.async) {
          await request();
          process.stdout.write(`sync of application ${name} started\n`);
          return 0;
        }
        return awaitOperation(client, name, before, request, { timeoutMs });
      });
    }));
}
