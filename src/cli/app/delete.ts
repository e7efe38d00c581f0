// `fjord app delete APP`: delete an Application, by default with its resources (cascade). Asks on a
// terminal unless --yes; refuses without --yes when nobody can answer.
import { createInterface } from 'node:readline/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { appSubcommand, parseTimeout, runAction, UsageError, withClient, type ConnectionOptions } from './command.js';
import { waitForApplication } from './waiter.js';

interface DeleteOptions extends ConnectionOptions {
  cascade: boolean;
  yes?: boolean;
  wait?: boolean;
  timeout: string;
}

export function parseBool(value: string): boolean {
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new UsageError(`--cascade ${value}: expected true or false`);
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Whether to go ahead: --yes, or a "y" typed on a terminal; without either it is a usage error. */
export async function confirmed(name: string, o: { yes?: boolean; cascade: boolean }, interactive = process.stdin.isTTY): Promise<boolean> {
  if (o.yes) return true;
  if (!interactive) throw new UsageError(`refusing to delete application ${name} without --yes (stdin is not a terminal)`);
  const what = o.cascade ? ' and all its resources' : ' (its resources stay)';
  return confirm(`Delete application ${name}${what}? [y/N] `);
}

export function deleteCommand(): Command {
  return appSubcommand('delete', 'delete an Application (and, with cascade, its resources)')
    .argument('<app>', 'Application name')
    .option('--cascade [bool]', 'also delete the resources it manages (--cascade=false keeps them)', parseBoolOption, true)
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--wait', 'wait until the Application is gone')
    .option('--timeout <duration>', 'how long --wait waits (0: no limit)', '5m')
    .action((name: string, o: DeleteOptions) => runAction(async () => {
      const timeoutMs = parseTimeout(o.timeout);
      if (!(await confirmed(name, o))) { process.stderr.write('not deleted\n'); return 1; }
      return withClient(o, async (client) => {
        await client.deleteApplication(name, o.cascade);
        if (o.wait) await waitForApplication(client, name, (a) => a === undefined, { timeoutMs, what: 'to be deleted' });
        process.stdout.write(`application ${name} ${o.wait ? 'deleted' : 'deletion requested'}${o.cascade ? ' (cascade)' : ' (resources kept)'}\n`);
        return 0;
      });
    }));
}

function parseBoolOption(value: string | boolean): boolean {
  if (typeof value === 'boolean') return value;
  try {
    return parseBool(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}
