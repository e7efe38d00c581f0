// `fjord app diff APP`: the unified diff of each resource whose live state differs from Git (from the
// API's managed-resources). With --exit-code: 1 when something differs, 0 when nothing does, 2 on
// any error, for CI gates.
import type { Command } from 'commander';
import type { ManagedResource } from '../../client/types.js';
import { describeError } from '../errors.js';
import { appSubcommand, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, FailedError, runAction, withClient, type ConnectionOptions } from './command.js';

interface DiffOptions extends ConnectionOptions {
  exitCode?: boolean;
  refresh?: boolean;
  hardRefresh?: boolean;
}

export function differs(r: ManagedResource): boolean {
  return Boolean(r.diff?.trim()) || r.status === 'OutOfSync';
}

export function resourceTitle(r: ManagedResource): string {
  const gk = r.group ? `${r.group}/${r.kind}` : r.kind;
  return `${gk} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** The diff text of the differing resources, each under a `===== group/Kind ns/name =====` header. */
export function formatDiff(resources: readonly ManagedResource[]): string {
  return resources.filter(differs).map((r) => {
    const state = r.liveState == null ? ' (missing from the cluster)' : r.targetState == null ? ' (not in Git: to be pruned)' : '';
    const body = r.diff?.trim() ? (r.diff.endsWith('\n') ? r.diff : `${r.diff}\n`) : '(out of sync; no textual difference after normalisation)\n';
    return `===== ${resourceTitle(r)}${state} =====\n${body}`;
  }).join('\n');
}

export function diffCommand(): Command {
  return appSubcommand('diff', 'show how the live resources differ from Git')
    .argument('<app>', 'Application name')
    .option('--exit-code', 'exit 1 when there are differences, 0 when none, 2 on error')
    .option('--refresh', 'ask for a refresh (re-read Git) first')
    .option('--hard-refresh', 'ask for a hard refresh first')
    .action((name: string, o: DiffOptions) => runAction(async () => {
      try {
        return await withClient(o, async (client) => {
          if (o.refresh || o.hardRefresh) await client.getApplication(name, o.hardRefresh ? 'hard' : 'normal');
          const resources = await client.managedResources(name);
          const text = formatDiff(resources);
          process.stdout.write(text);
          return o.exitCode && text ? EXIT_FAILURE : EXIT_OK;
        });
      } catch (e) {
        if (o.exitCode && !(e instanceof FailedError)) throw new FailedError(describeError(e), EXIT_USAGE);
        throw e;
      }
    }));
}
