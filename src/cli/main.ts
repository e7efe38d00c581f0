// The fjord command line. Each subcommand lives in its own file; this one only wires them up and
// turns failures into one clear line on stderr and a non-zero exit code.
import { Command, CommanderError } from 'commander';
import { devCommand } from './dev.js';
import { demoCommand } from './demo.js';
import { installCommand } from './install.js';
import { runCommand } from './run.js';
import { sealCommand } from './seal.js';
import { imageCommand } from './image.js';
import { describeError } from './errors.js';
import { tokenCommand } from './token.js';
import { appCommand } from './app/index.js';
import { loginCommand, logoutCommand } from './login.js';

export function program(): Command {
  const p = new Command('fjord')
    .description('GitOps continuous delivery for Kubernetes')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();
  p.addCommand(devCommand());
  p.addCommand(installCommand());
  p.addCommand(runCommand());
  p.addCommand(sealCommand());
  p.addCommand(imageCommand());
  p.addCommand(demoCommand());
  p.addCommand(tokenCommand());
  p.addCommand(appCommand());
  p.addCommand(loginCommand());
  p.addCommand(logoutCommand());
  return p;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    process.stderr.write(`fjord: error: ${describeError(e)}\n`);
    return 1;
  }
}
