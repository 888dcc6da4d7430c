import { Option, type Command } from 'commander';
import type { GroupType } from '../../admin/groups.js';
import type { GroupView } from '../../admin/views.js';
import { segment } from '../api-client.js';
import type { Output } from '../output.js';
import { kindText, recipientPairs, yesNo } from '../render.js';
import type { CliRuntime } from '../runtime.js';

function printMembers(out: Output, group: GroupView): void {
  out.table(['Member', 'Name', 'Type'], group.members.map((m) => [m.address, m.displayName, kindText(m.kind)]), 'No members.');
}

function printGroup(out: Output, group: GroupView): void {
  out.keyValues([...recipientPairs(group), ['Mail-enabled', yesNo(group.mailEnabled)], ['Members', String(group.members.length)]]);
  out.line();
  printMembers(out, group);
}

export function registerGroupCommands(program: Command, runtime: CliRuntime): void {
  const group = program.command('group').description('distribution groups (mail to many) and security groups (permissions for many)');

  group.command('add').description('create a distribution or security group')
    .argument('<address>', 'primary address of the group, in an accepted domain')
    .requiredOption('--name <display>', 'display name')
    .addOption(new Option('--type <type>', 'kind of group').choices(['distribution', 'security']).makeOptionMandatory())
    .option('--no-mail', "security group only: it doesn't receive mail")
    .action(async (address: string, options: { name: string; type: GroupType; mail: boolean }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const noMail = command.getOptionValueSource('mail') === 'cli';
      const created = await api.post<GroupView>('/groups', { address, displayName: options.name, type: options.type, ...(noMail ? { mailEnabled: false } : {}) });
      out.result(created, () => out.keyValues([...recipientPairs(created), ['Mail-enabled', yesNo(created.mailEnabled)]]));
    }));

  group.command('list').description('list groups with their member counts')
    .option('--search <text>', 'only names or addresses containing this text')
    .action(async (options: { search?: string }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const groups = await api.get<GroupView[]>('/groups', { search: options.search });
      out.result(groups, () => out.table(
        ['Address', 'Display name', 'Type', 'Mail-enabled', 'Members'],
        groups.map((g) => [g.primaryAddress, g.displayName, kindText(g.kind), yesNo(g.mailEnabled), String(g.members.length)]),
        'No groups found.',
      ));
    }));

  group.command('show').description('show a group and its direct members')
    .argument('<address>', 'an address of the group')
    .action(async (address: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const shown = await api.get<GroupView>(`/groups/${segment(address)}`);
      out.result(shown, () => printGroup(out, shown));
    }));

  group.command('remove').description('remove a group (its members stay)')
    .argument('<address>', 'an address of the group')
    .action(async (address: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      await api.delete(`/groups/${segment(address)}`);
      out.result({ removed: address }, () => out.line(`Removed ${address}.`));
    }));

  const members = group.command('members').description('direct members of a group: users, mailboxes or other groups');

  members.command('add').description('add members (all or none)')
    .argument('<group>', 'an address of the group')
    .argument('<member...>', 'addresses or aliases of the new members')
    .action(async (address: string, identifiers: string[], _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const changed = await api.post<GroupView>(`/groups/${segment(address)}/members`, { members: identifiers });
      out.result(changed, () => printMembers(out, changed));
    }));

  members.command('remove').description('remove members (all or none)')
    .argument('<group>', 'an address of the group')
    .argument('<member...>', 'addresses or aliases of the members')
    .action(async (address: string, identifiers: string[], _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const changed = await api.post<GroupView>(`/groups/${segment(address)}/members/remove`, { members: identifiers });
      out.result(changed, () => printMembers(out, changed));
    }));

  members.command('list').description('list the direct members of a group')
    .argument('<group>', 'an address of the group')
    .action(async (address: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const shown = await api.get<GroupView>(`/groups/${segment(address)}`);
      out.result(shown.members, () => printMembers(out, shown));
    }));
}
