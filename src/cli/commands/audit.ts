import type { Command } from 'commander';
import type { AuditEntry } from '../../directory/audit-log.js';
import { positiveInteger } from '../parsers.js';
import type { CliRuntime } from '../runtime.js';

export function registerAuditCommands(program: Command, runtime: CliRuntime): void {
  const audit = program.command('audit').description('the audit log: who changed what, and when');

  audit.command('list').description('list audit entries, newest first (--json includes the before and after of each change)')
    .option('--target <address>', 'only changes to this mailbox, recipient or domain')
    .option('--since <iso>', 'only entries at or after this time (ISO 8601)')
    .option('--actor <address>', 'only changes made by this account')
    .option('--action <prefix>', 'only actions starting with this, e.g. "member." or "user.block"')
    .option('--limit <n>', 'at most this many entries (default 500)', positiveInteger(10000))
    .action(async (options: { target?: string; since?: string; actor?: string; action?: string; limit?: number }, command: Command) =>
      runtime.run(command, async ({ api, out }) => {
        const entries = await api.get<AuditEntry[]>('/audit', {
          target: options.target, since: options.since, actor: options.actor, action: options.action, limit: options.limit,
        });
        out.result(entries, () => out.table(
          ['Time', 'Actor', 'Action', 'Target'],
          entries.map((e) => [e.at, e.actor, e.action, e.target ?? '-']),
          'No audit entries found.',
        ));
      }));
}
