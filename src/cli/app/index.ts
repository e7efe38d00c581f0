// `fjord app …`: the Application commands, talking to Fjord's HTTP API (docs/api.md, docs/cli.md).
import { Command } from 'commander';
import { usageExits } from './command.js';
import { deleteCommand } from './delete.js';
import { diffCommand } from './diff.js';
import { getCommand } from './get.js';
import { historyCommand } from './history.js';
import { listCommand } from './list.js';
import { refreshCommand } from './refresh.js';
import { rollbackCommand } from './rollback.js';
import { syncCommand } from './sync.js';
import { waitCommand } from './wait.js';

export function appCommand(): Command {
  const app = usageExits(new Command('app').description('list, inspect, sync, roll back and delete Applications through the Fjord API'));
  for (const c of [listCommand(), getCommand(), diffCommand(), syncCommand(), refreshCommand(), historyCommand(), rollbackCommand(), deleteCommand(), waitCommand()]) {
    app.addCommand(c);
  }
  return app;
}
