// Runs `tsc` when the compiled output is missing or older than any source file, and builds the
// admin center (web/, Vite) when web/dist is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const marker = join(root, 'dist', '.tsbuildinfo');

function newestMtime(dir, keep = (name) => name.endsWith('.ts')) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, keep));
    else if (keep(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const run = (script, args) => execFileSync(process.execPath, [join(root, 'node_modules', ...script), ...args], { stdio: 'inherit', cwd: root });

const sources = ['src', 'test', 'bench'].map((d) => join(root, d)).filter(existsSync);
const stale = !existsSync(marker) || sources.some((d) => newestMtime(d) > statSync(marker).mtimeMs);
if (stale) {
  console.error('mailroom: building (tsc)…');
  run(['typescript', 'bin', 'tsc'], ['-p', join(root, 'tsconfig.json')]);
}

const web = join(root, 'web');
const webMarker = join(web, 'dist', 'index.html');
if (existsSync(join(web, 'index.html'))) {
  const webSources = [join(web, 'src'), join(web, 'public')].filter(existsSync);
  const newestWeb = Math.max(
    ...webSources.map((d) => newestMtime(d, () => true)),
    ...['index.html', 'vite.config.ts', 'tsconfig.json'].map((f) => (existsSync(join(web, f)) ? statSync(join(web, f)).mtimeMs : 0)),
  );
  if (!existsSync(webMarker) || newestWeb > statSync(webMarker).mtimeMs) {
    console.error('mailroom: building the admin center (vite)…');
    run(['vite', 'bin', 'vite.js'], ['build', web, '--logLevel', 'warn']);
  }
}
