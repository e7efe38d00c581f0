// `fjord login --server URL --token T` checks the token against the API and saves both in
// $XDG_CONFIG_HOME/fjord/config.json (mode 0600); `fjord logout` removes them. The token is never
// printed.
import { Command } from 'commander';
import { FjordApiClient } from '../client/api-client.js';
import { configPath, removeLogin, writeLogin } from '../client/config.js';
import { runAction, usageExits, UsageError } from './app/command.js';

interface LoginOptions {
  server?: string;
  token?: string;
}

export function loginCommand(): Command {
  return usageExits(new Command('login'))
    .description('check a token against the Fjord API and save it for the fjord app commands')
    .option('--server <url>', 'Fjord API URL, e.g. http://127.0.0.1:8080 (env FJORD_SERVER)')
    .option('--token <token>', 'bearer token (env FJORD_AUTH_TOKEN)')
    .action((o: LoginOptions) => runAction(async () => {
      const server = o.server ?? process.env['FJORD_SERVER'];
      const token = o.token ?? process.env['FJORD_AUTH_TOKEN'];
      if (!server || !token) throw new UsageError('fjord login needs --server URL and --token TOKEN');
      const client = new FjordApiClient({ server, token });
      try {
        const me = await client.userInfo();
        const path = configPath();
        writeLogin({ server: client.server, token }, path);
        const roles = me.roles?.length ? ` (${me.roles.join(', ')})` : '';
        process.stdout.write(`logged in to ${client.server} as ${me.subject ?? 'unknown subject'}${roles}; saved in ${path}\n`);
        return 0;
      } finally {
        await client.close();
      }
    }));
}

export function logoutCommand(): Command {
  return usageExits(new Command('logout'))
    .description('forget the saved Fjord server and token')
    .action(() => runAction(() => {
      const path = configPath();
      process.stdout.write(removeLogin(path) ? `logged out: removed ${path}\n` : `not logged in (no ${path})\n`);
      return Promise.resolve(0);
    }));
}
