#!/usr/bin/env node
// The `mailroom` command. Builds the TypeScript sources on first use (or when they changed), then runs the CLI.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build-if-needed.mjs', import.meta.url))], { stdio: ['ignore', 'inherit', 'inherit'] });
const { runCli } = await import('../dist/src/cli/main.js');
process.exitCode = await runCli(process.argv.slice(2));
