import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mailroomBin } from './harness.js';

/** Helpers of cli.test.ts: run the real `mailroom` command and check its exit code, stdout and stderr. */

/** The exact words of the issue; the CLI prints them after "mailroom: ". */
export const words = {
  locked: 'Your account has been locked. Contact your support person to unlock it, then try again.',
  permissionDenied: 'You do not have permission to access this page or perform this action.',
  infoInUse: 'The proxy address "SMTP:info@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Info". Please choose another proxy address.',
  notSignedIn: 'Not signed in. Run "mailroom login", or set MAILROOM_USER and MAILROOM_PASSWORD.',
  unknown: (name: string) => `The recipient "${name}" wasn't found in your organization.`,
};

export interface CliResult { code: number | null; stdout: string; stderr: string }
export type CliEnv = Record<string, string | undefined>;

/** Runs `node bin/mailroom.js …` as a real child process, with stdin not a terminal. */
export function mailroom(args: readonly string[], env: CliEnv): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) if (key.startsWith('MAILROOM_')) delete childEnv[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) childEnv[key] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mailroomBin, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.once('error', reject);
    child.once('close', (code) => {
      // bin/mailroom.js rebuilds when a source file is newer than dist/; that notice is not the CLI's output.
      resolve({ code, stdout, stderr: stderr.replace(/^mailroom: building \(tsc\)…\n/gm, '') });
    });
  });
}

export const describeResult = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

/** Exit 0 and nothing on stderr; returns stdout. */
export function succeeded(r: CliResult): string {
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(r.stderr, '', describeResult(r));
  return r.stdout;
}

export function parsed<T = any>(r: CliResult): T {
  return JSON.parse(succeeded(r)) as T;
}

/** Exactly one line on stderr, "mailroom: <detail>", nothing on stdout, and the exit code. */
export function refused(r: CliResult, detail: string | RegExp, code = 1): void {
  assert.equal(r.code, code, describeResult(r));
  assert.equal(r.stdout, '', describeResult(r));
  assert.match(r.stderr, /^mailroom: [^\n]+\n$/, `one line on stderr: ${JSON.stringify(r.stderr)}`);
  if (typeof detail === 'string') assert.equal(r.stderr, `mailroom: ${detail}\n`);
  else assert.match(r.stderr.slice('mailroom: '.length, -1), detail);
}

export const lines = (text: string) => text.trimEnd().split('\n');
