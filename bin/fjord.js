#!/usr/bin/env node
// The fjord command. The TypeScript sources are compiled to dist/ by `npm run build`
// (run by the bootstrap that both README commands start with).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
