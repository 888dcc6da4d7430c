import type { Command } from 'commander';
import type { MailboxAccessView } from '../../admin/permissions.js';
import type { SignInChange } from '../../admin/users.js';
import type { AccountView } from '../../admin/views.js';
import { messages } from '../../core/messages.js';
import type { Role } from '../../store/sql/schema.js';
import { segment } from '../api-client.js';
import type { Output } from '../output.js';
import { collectRole } from '../parsers.js';
import { newPassword } from '../prompt.js';
import { accountPairs, kindText, printMailboxAccess, rolesText, signInText } from '../render.js';
import type { CliRuntime } from '../runtime.js';

const roleHelp = 'global-admin or exchange-admin; repeat for both';

function printSignInChanges(out: Output, changes: readonly SignInChange[]): void {
  for (const c of changes) {
    const state = c.signInBlocked ? 'blocked' : 'allowed';
    out.line(c.changed ? `${c.address}: sign-in ${state}.` : `${c.address}: sign-in was already ${state}.`);
  }
}

export function registerUserCommands(program: Command, runtime: CliRuntime): void {
  const user = program.command('user').description('users (people who sign in) and the accounts behind mailboxes');

  user.command('add').description('add a user with a mailbox and a password')
    .argument('<address>', 'primary address, in an accepted domain')
    .requiredOption('--name <display>', 'display name, e.g. "Alice Wilber"')
    .option('--password <pw>', 'initial password, 8 to 256 characters (prompted for on a terminal when omitted)')
    .option('--role <role>', `give an admin role: ${roleHelp}`, collectRole)
    .action(async (address: string, options: { name: string; password?: string; role?: Role[] }, command: Command) => runtime.run(command, async ({ api, out, io }) => {
      const password = await newPassword(io, options.password, address);
      const added = await api.post<AccountView>('/users', { address, displayName: options.name, password, ...(options.role ? { roles: options.role } : {}) });
      out.result(added, () => out.keyValues(accountPairs(added)));
    }));

  user.command('list').description('list users (add --include-shared for shared mailbox accounts)')
    .option('--search <text>', 'only names or addresses containing this text')
    .option('--include-shared', 'include the accounts of shared mailboxes')
    .action(async (options: { search?: string; includeShared?: true }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const users = await api.get<AccountView[]>('/users', { search: options.search, includeShared: options.includeShared });
      out.result(users, () => {
        const withType = options.includeShared === true;
        out.table(
          ['Address', 'Display name', ...(withType ? ['Type'] : []), 'Sign-in', 'Roles'],
          users.map((u) => [u.primaryAddress, u.displayName, ...(withType ? [kindText(u.kind)] : []), signInText(u.signInBlocked), rolesText(u.roles)]),
          'No users found.',
        );
      });
    }));

  user.command('show').description("show an account and the mailboxes it can open or send as (directly or through security groups)")
    .argument('<address>', 'an address of the user or shared mailbox')
    .action(async (address: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const account = await api.get<AccountView>(`/users/${segment(address)}`);
      // Mailbox access is computed for people; a shared mailbox's account is never a trustee.
      const mailboxAccess = account.kind === 'user' ? await api.get<MailboxAccessView[]>(`/users/${segment(account.primaryAddress)}/mailbox-access`) : [];
      out.result({ ...account, mailboxAccess }, () => {
        out.keyValues(accountPairs(account));
        if (account.kind !== 'user') return;
        out.line();
        out.line('Mailbox access:');
        printMailboxAccess(out, mailboxAccess, 'No access to other mailboxes.');
      });
    }));

  user.command('remove').description('remove a user and its mailbox')
    .argument('<address>', 'an address of the user')
    .action(async (address: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      await api.delete(`/users/${segment(address)}`);
      out.result({ removed: address }, () => out.line(`Removed ${address}.`));
    }));

  user.command('block').description('block sign-in for one or more accounts (all or none); their sessions end at once')
    .argument('<address...>', 'addresses of users or shared mailboxes')
    .action(async (addresses: string[], _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const changes = await api.post<SignInChange[]>('/users/block', { addresses });
      out.result(changes, () => printSignInChanges(out, changes));
    }));

  user.command('unblock').description('allow sign-in again for one or more accounts (all or none)')
    .argument('<address...>', 'addresses of users')
    .action(async (addresses: string[], _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const changes = await api.post<SignInChange[]>('/users/unblock', { addresses });
      for (const c of changes) if (c.sharedMailbox) out.warn(messages.sharedUnblockWarning(c.address));
      out.result(changes, () => printSignInChanges(out, changes));
    }));

  user.command('set-password').description("reset a user's password; the user's sessions end (a shared mailbox stays blocked)")
    .argument('<address>', 'an address of the account')
    .option('--password <pw>', 'the new password (prompted for on a terminal when omitted)')
    .action(async (address: string, options: { password?: string }, command: Command) => runtime.run(command, async ({ api, out, io }) => {
      const password = await newPassword(io, options.password, address);
      const account = await api.put<AccountView>(`/users/${segment(address)}/password`, { password });
      out.result(account, () => out.line(`Password changed for ${account.primaryAddress}.`));
    }));

  user.command('set-roles').description('set the admin roles of a user (Global Administrator); no --role removes every role')
    .argument('<address>', 'an address of the user')
    .option('--role <role>', roleHelp, collectRole)
    .action(async (address: string, options: { role?: Role[] }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const account = await api.put<AccountView>(`/users/${segment(address)}/roles`, { roles: options.role ?? [] });
      out.result(account, () => out.line(account.roles.length === 0
        ? `${account.primaryAddress} has no admin roles.`
        : `${account.primaryAddress} is now: ${rolesText(account.roles)}.`));
    }));
}
