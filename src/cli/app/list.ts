// `fjord app list`: every Application the token may see, as a table (or json/yaml/wide/name).
import { Option } from 'commander';
import type { Command } from 'commander';
import type { ListQuery } from '../../client/types.js';
import { appSubcommand, outputOption, runAction, withClient, type ConnectionOptions, type OutputFormat } from './command.js';
import { formatData, formatList, isDataFormat } from './format.js';

interface ListOptions extends ConnectionOptions {
  output: OutputFormat;
  project?: string[];
  sync?: string;
  health?: string;
  selector?: string;
  search?: string;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function listQuery(o: ListOptions): ListQuery {
  return {
    ...(o.project ? { project: o.project } : {}),
    ...(o.sync ? { sync: o.sync } : {}),
    ...(o.health ? { health: o.health } : {}),
    ...(o.selector ? { selector: o.selector } : {}),
    ...(o.search ? { search: o.search } : {}),
  };
}

export function listCommand(): Command {
  return appSubcommand('list', 'list Applications')
    .addOption(outputOption(['table', 'json', 'yaml', 'wide', 'name']))
    .option('-p, --project <project>', 'only this project (repeatable)', collect)
    .addOption(new Option('--sync <status>', 'only this sync status').choices(['Synced', 'OutOfSync', 'Unknown']))
    .addOption(new Option('--health <status>', 'only this health').choices(['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown']))
    .option('-l, --selector <labels>', 'label selector, k=v,k2=v2')
    .option('--search <text>', 'only names containing this text')
    .action((o: ListOptions) => runAction(() => withClient(o, async (client) => {
      const apps = await client.listAllApplications(listQuery(o));
      if (isDataFormat(o.output)) process.stdout.write(formatData({ items: apps }, o.output));
      else if (o.output === 'name') process.stdout.write(apps.map((a) => `${a.metadata.name}\n`).join(''));
      else process.stdout.write(formatList(apps, o.output === 'wide'));
      return 0;
    })));
}
