// `fjord app get APP`: the summary, conditions and resources of one Application.
import type { Command } from 'commander';
import { appSubcommand, outputOption, runAction, withClient, type ConnectionOptions, type OutputFormat } from './command.js';
import { formatApplication, formatData, isDataFormat } from './format.js';

interface GetOptions extends ConnectionOptions {
  output: OutputFormat;
  refresh?: boolean;
  hardRefresh?: boolean;
}

export function getCommand(): Command {
  return appSubcommand('get', 'show one Application: summary, conditions and resources')
    .argument('<app>', 'Application name')
    .addOption(outputOption(['table', 'json', 'yaml', 'wide', 'name']))
    .option('--refresh', 'ask for a refresh (re-read Git) first')
    .option('--hard-refresh', 'ask for a hard refresh (also re-render) first')
    .action((name: string, o: GetOptions) => runAction(() => withClient(o, async (client) => {
      const refresh = o.hardRefresh ? 'hard' : o.refresh ? 'normal' : undefined;
      const app = await client.getApplication(name, refresh);
      if (isDataFormat(o.output)) process.stdout.write(formatData(app, o.output));
      else if (o.output === 'name') process.stdout.write(`${app.metadata.name}\n`);
      else process.stdout.write(formatApplication(app, o.output === 'wide'));
      return 0;
    })));
}
