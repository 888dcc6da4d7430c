#!/usr/bin/env node
// The `mailroom` command. On a fresh checkout it builds the TypeScript sources once; after
// that it runs what was built (`npm start` and `npm test` rebuild when sources change).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build-if-needed.mjs', import.meta.url))], { stdio: ['ignore', 'inherit', 'inherit'] });
}
const { runCli } = await import(entry.href);
process.exitCode = await runCli(process.argv.slice(2));
