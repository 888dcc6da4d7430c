import { Command, CommanderError } from 'commander';
import { version } from '../version.js';
import { serve } from './serve.js';

/** Entry point of the `mailroom` command. Returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = new Command('mailroom')
    .description('Mailroom: a self-hosted mail and calendar server built around shared mailboxes')
    .version(version)
    .exitOverride();
  let exitCode = 0;
  program.command('serve').description('run the server (SMTP, IMAP, HTTP) on the configured ports').action(async () => {
    exitCode = await serve();
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`mailroom: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  return exitCode;
}
