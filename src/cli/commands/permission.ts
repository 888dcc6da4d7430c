import { Option, type Command } from 'commander';
import type { PermissionView } from '../../admin/views.js';
import type { MailboxRight } from '../../store/sql/schema.js';
import { segment } from '../api-client.js';
import { parseRights } from '../parsers.js';
import { printPermissions } from '../render.js';
import type { CliRuntime } from '../runtime.js';

const rightsOption = () => new Option('--rights <rights>', 'comma-separated: FullAccess, SendAs, SendOnBehalf, ReadOnly (open and read only), NoDelete (open, never delete)').argParser(parseRights).makeOptionMandatory();
const noPermissions = 'No permissions on this mailbox.';

export function registerPermissionCommands(program: Command, runtime: CliRuntime): void {
  const permission = program.command('permission').description('mailbox permissions (Full Access, Send As, Send on Behalf) for users and security groups');

  permission.command('add').description('grant rights on a mailbox; they take effect at once')
    .argument('<mailbox>', 'an address of the user or shared mailbox')
    .argument('<trustee>', 'the user or security group receiving the rights')
    .addOption(rightsOption())
    .option('--no-automap', "with FullAccess: don't open the mailbox automatically in the trustee's mail apps")
    .action(async (mailbox: string, trustee: string, options: { rights: MailboxRight[]; automap: boolean }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const list = await api.post<PermissionView[]>(`/mailboxes/${segment(mailbox)}/permissions`, { trustee, rights: options.rights, automap: options.automap });
      out.result(list, () => printPermissions(out, list, noPermissions));
    }));

  permission.command('remove').description('take rights on a mailbox away from a trustee')
    .argument('<mailbox>', 'an address of the user or shared mailbox')
    .argument('<trustee>', 'the user or security group')
    .addOption(rightsOption())
    .action(async (mailbox: string, trustee: string, options: { rights: MailboxRight[] }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const list = await api.post<PermissionView[]>(`/mailboxes/${segment(mailbox)}/permissions/remove`, { trustee, rights: options.rights });
      out.result(list, () => printPermissions(out, list, noPermissions));
    }));

  permission.command('list').description('list who holds which rights on a mailbox')
    .argument('<mailbox>', 'an address of the user or shared mailbox')
    .action(async (mailbox: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const list = await api.get<PermissionView[]>(`/mailboxes/${segment(mailbox)}/permissions`);
      out.result(list, () => printPermissions(out, list, noPermissions));
    }));
}
