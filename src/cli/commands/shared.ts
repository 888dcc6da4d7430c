import type { Command } from 'commander';
import type { PermissionView, SharedMailboxView } from '../../admin/views.js';
import { segment } from '../api-client.js';
import { accountPairs, printPermissions } from '../render.js';
import type { CliRuntime } from '../runtime.js';

const noMembers = 'No members.';

export function registerSharedCommands(program: Command, runtime: CliRuntime): void {
  const shared = program.command('shared').description('shared mailboxes: mailboxes a team reads and sends from, each member with their own sign-in');

  shared.command('add').description('create a shared mailbox from a display name; prints its address (sign-in stays blocked)')
    .requiredOption('--name <display>', 'display name, e.g. "Sales Team"')
    .option('--address <address>', 'address to use instead of the suggested one (see "shared suggest")')
    .action(async (options: { name: string; address?: string }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const created = await api.post<SharedMailboxView>('/shared-mailboxes', { displayName: options.name, ...(options.address ? { address: options.address } : {}) });
      out.result(created, () => out.line(created.primaryAddress));
    }));

  shared.command('suggest').description('print the address "shared add" would choose for a display name')
    .requiredOption('--name <display>', 'display name')
    .option('--domain <domain>', 'an accepted domain instead of the default one')
    .action(async (options: { name: string; domain?: string }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const suggestion = await api.get<{ address: string }>('/shared-mailboxes/suggest-address', { name: options.name, domain: options.domain });
      out.result(suggestion, () => out.line(suggestion.address));
    }));

  shared.command('list').description('list shared mailboxes with their member counts')
    .option('--search <text>', 'only names or addresses containing this text')
    .action(async (options: { search?: string }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const mailboxes = await api.get<SharedMailboxView[]>('/shared-mailboxes', { search: options.search });
      out.result(mailboxes, () => out.table(
        ['Address', 'Display name', 'Members'],
        mailboxes.map((m) => [m.primaryAddress, m.displayName, String(m.memberCount)]),
        'No shared mailboxes found.',
      ));
    }));

  shared.command('show').description('show a shared mailbox and its members')
    .argument('<address>', 'an address of the shared mailbox')
    .action(async (address: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const mailbox = await api.get<SharedMailboxView>(`/shared-mailboxes/${segment(address)}`);
      out.result(mailbox, () => {
        out.keyValues([...accountPairs(mailbox), ['Members', String(mailbox.memberCount)]]);
        out.line();
        printPermissions(out, mailbox.members, noMembers);
      });
    }));

  shared.command('remove').description('remove a shared mailbox and its mail')
    .argument('<address>', 'an address of the shared mailbox')
    .action(async (address: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      await api.delete(`/shared-mailboxes/${segment(address)}`);
      out.result({ removed: address }, () => out.line(`Removed ${address}.`));
    }));

  const members = shared.command('members').description('members of a shared mailbox: users or security groups with Full Access and Send As');

  members.command('add').description('add members: grants Full Access (automapped unless --no-automap) and Send As')
    .argument('<shared>', 'an address of the shared mailbox')
    .argument('<member...>', 'users or security groups (address or alias)')
    .option('--no-automap', "don't open the mailbox automatically in the members' mail apps")
    .action(async (address: string, identifiers: string[], options: { automap: boolean }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const list = await api.post<PermissionView[]>(`/shared-mailboxes/${segment(address)}/members`, { members: identifiers, automap: options.automap });
      out.result(list, () => printPermissions(out, list, noMembers));
    }));

  members.command('remove').description('remove members and every right they hold on the mailbox')
    .argument('<shared>', 'an address of the shared mailbox')
    .argument('<member...>', 'users or security groups')
    .action(async (address: string, identifiers: string[], _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const list = await api.post<PermissionView[]>(`/shared-mailboxes/${segment(address)}/members/remove`, { members: identifiers });
      out.result(list, () => printPermissions(out, list, noMembers));
    }));

  members.command('list').description('list the members of a shared mailbox')
    .argument('<shared>', 'an address of the shared mailbox')
    .action(async (address: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const list = await api.get<PermissionView[]>(`/shared-mailboxes/${segment(address)}/members`);
      out.result(list, () => printPermissions(out, list, noMembers));
    }));
}
