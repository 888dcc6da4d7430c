#!/usr/bin/env node
// The `mailroom` command: the compiled CLI entry point (built by `npm run build`).
import { runCli } from '../dist/src/cli/main.js';
process.exitCode = await runCli(process.argv.slice(2));
