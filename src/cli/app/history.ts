// `fjord app history APP`: what was deployed, when, from which commit, by whom and why.
import type { Command } from 'commander';
import type { FjordApiClient } from '../../client/api-client.js';
import type { HistoryEntry, RevisionMetadata } from '../../client/types.js';
import { appSubcommand, outputOption, runAction, withClient, type ConnectionOptions, type OutputFormat } from './command.js';
import { formatData, isDataFormat, shortRevision } from './format.js';
import { firstLine, formatTable } from './table.js';

interface HistoryOptions extends ConnectionOptions {
  output: OutputFormat;
}

export type HistoryRow = HistoryEntry & { revisionMetadata?: RevisionMetadata };

export function formatHistory(entries: readonly HistoryRow[], wide = false): string {
  const headers = ['ID', 'DATE', 'REVISION', 'AUTHOR', 'MESSAGE', ...(wide ? ['INITIATED BY'] : [])];
  const rows = entries.map((h) => [
    String(h.id), h.deployedAt, wide ? h.revision : shortRevision(h.revision), h.revisionMetadata?.author ?? '', firstLine(h.revisionMetadata?.message, wide ? 200 : 60),
    ...(wide ? [h.initiatedBy.automated ? 'automated' : h.initiatedBy.username ?? ''] : []),
  ]);
  return formatTable(headers, rows);
}

/** History entries with commit metadata, asked of the API for entries that lack it (best effort). */
async function withMetadata(client: FjordApiClient, name: string, entries: readonly HistoryEntry[]): Promise<HistoryRow[]> {
  const cache = new Map<string, Promise<RevisionMetadata | undefined>>();
  const lookup = (rev: string): Promise<RevisionMetadata | undefined> => {
    let p = cache.get(rev);
    if (!p) { p = client.revisionMetadata(name, rev).catch(() => undefined); cache.set(rev, p); }
    return p;
  };
  return Promise.all(entries.map(async (h) => {
    if (h.revisionMetadata?.author || h.revisionMetadata?.message) return h;
    const meta = await lookup(h.revision);
    return meta ? { ...h, revisionMetadata: meta } : h;
  }));
}

export function historyCommand(): Command {
  return appSubcommand('history', 'show the deployment history: id, date, revision, author, message')
    .argument('<app>', 'Application name')
    .addOption(outputOption(['table', 'json', 'yaml', 'wide']))
    .action((name: string, o: HistoryOptions) => runAction(() => withClient(o, async (client) => {
      const app = await client.getApplication(name);
      const entries = await withMetadata(client, name, app.status?.history ?? []);
      if (isDataFormat(o.output)) process.stdout.write(formatData(entries, o.output));
      else process.stdout.write(formatHistory(entries, o.output === 'wide'));
      return 0;
    })));
}
