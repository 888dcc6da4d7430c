import { Command, CommanderError } from 'commander';
import { version } from '../version.js';
import { registerAddressCommands } from './commands/address.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerDomainCommands } from './commands/domain.js';
import { registerGroupCommands } from './commands/group.js';
import { registerSessionCommands } from './commands/login.js';
import { registerMailboxCommands } from './commands/mailbox.js';
import { registerPermissionCommands } from './commands/permission.js';
import { registerQueueCommands } from './commands/queue.js';
import { registerSharedCommands } from './commands/shared.js';
import { registerUserCommands } from './commands/user.js';
import { processIo, type CliIo } from './output.js';
import { CliRuntime } from './runtime.js';

/** Every error is one line: the reader sees the detail, a script sees a non-zero exit. */
const oneLine = (text: string): string => text.trim().replace(/\s*\n\s*/g, ' ');

const epilog = `
Environment:
  MAILROOM_URL          server to talk to (default http://127.0.0.1:8080)
  MAILROOM_USER         address to sign in with, together with MAILROOM_PASSWORD;
  MAILROOM_PASSWORD     without them, the session saved by "mailroom login" is used
  MAILROOM_CONFIG_DIR   where "mailroom login" saves the session (default ~/.config/mailroom)

Every command but serve talks to a running server through its HTTP API. Add --json to
any command for machine-readable output.`;

export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('mailroom')
    .description('Mailroom: a self-hosted mail and calendar server built around shared mailboxes')
    .version(version)
    .option('--json', 'print the result as JSON (the API\'s response), for scripts')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`mailroom: ${oneLine(text.replace(/^error: /, ''))}\n`),
    })
    .addHelpText('after', epilog)
    .exitOverride();

  program.command('serve').description('run the server (SMTP, IMAP, HTTP) on the configured ports until SIGTERM or SIGINT').action(async () => {
    // Loaded on demand: the client commands never load the server (or its database drivers).
    const { serve } = await import('./serve.js');
    setExitCode(await serve());
  });

  const runtime = new CliRuntime(io);
  registerSessionCommands(program, runtime);
  registerDomainCommands(program, runtime);
  registerUserCommands(program, runtime);
  registerSharedCommands(program, runtime);
  registerPermissionCommands(program, runtime);
  registerMailboxCommands(program, runtime);
  registerGroupCommands(program, runtime);
  registerAddressCommands(program, runtime);
  registerAuditCommands(program, runtime);
  registerQueueCommands(program, runtime);
  return program;
}

/** Entry point of the `mailroom` command. Returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  if (io === processIo) {
    // `mailroom audit list --json | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
    process.stdout.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(process.exitCode ?? 0);
    });
  }
  const program = buildProgram(io, (code) => { exitCode = code; });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    // Commander has already printed its message; usage errors exit 2, help and --version 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    io.stderr.write(`mailroom: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
  return exitCode;
}
