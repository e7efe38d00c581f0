// The fjord command run from the TypeScript sources (through tsx), so that the benchmark measures the
// code of the working tree without a build step: node --import tsx bench/fjord-cli.ts run …
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv);
