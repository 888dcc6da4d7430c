import { createInterface } from 'node:readline/promises';
import { CliError } from './errors.js';
import type { CliIo } from './output.js';

/** Prompts appear only on a terminal; scripts get a clear error telling which option or variable to set instead. */
export const canPrompt = (io: CliIo): boolean => io.stdin.isTTY === true;

export async function promptLine(io: CliIo, question: string): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Reads a password without echoing it: raw mode, nothing written back but the final newline. */
export function promptSecret(io: CliIo, question: string): Promise<string> {
  const stdin = io.stdin;
  io.stderr.write(question);
  return new Promise((resolve, reject) => {
    let secret = '';
    const wasRaw = stdin.isRaw;
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(secret);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new CliError('Cancelled.'));
        if (char === '\u0004') {
          if (secret === '') return finish(new CliError('Cancelled.'));
          return finish();
        }
        if (char === '\u007f' || char === '\b') secret = [...secret].slice(0, -1).join('');
        else if (char >= ' ') secret += char;
      }
    };
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/**
 * A password from an option, else typed twice on the terminal (no echo), else an error naming
 * the option: a password is never read from a pipe by surprise.
 */
export async function newPassword(io: CliIo, given: string | undefined, whose: string): Promise<string> {
  if (given !== undefined) return given;
  if (!canPrompt(io)) throw new CliError(`Give the password with --password (standard input is not a terminal, so there is no prompt).`);
  const first = await promptSecret(io, `New password for ${whose}: `);
  const again = await promptSecret(io, 'Type it again: ');
  if (first !== again) throw new CliError('The two passwords are different. Nothing was changed.');
  return first;
}
