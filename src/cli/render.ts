import type { MailboxAccessView } from '../admin/permissions.js';
import type { AccountView, PermissionView, RecipientView } from '../admin/views.js';
import type { RecipientKind, Role } from '../store/sql/schema.js';
import type { Output, Row } from './output.js';

/** Human wording of the API's values, shared by the command modules. */

export const yesNo = (value: boolean): string => (value ? 'Yes' : 'No');
export const onOffText = (value: boolean): string => (value ? 'On' : 'Off');
export const orDash = (value: string): string => (value === '' ? '-' : value);

const roleNames: Record<Role, string> = { 'global-admin': 'Global Administrator', 'exchange-admin': 'Exchange Administrator' };
export const rolesText = (roles: readonly Role[]): string => orDash(roles.map((r) => roleNames[r] ?? r).join(', '));

export const signInText = (blocked: boolean): string => (blocked ? 'Sign-in blocked' : 'Allowed');

const kindNames: Record<RecipientKind, string> = {
  user: 'User mailbox',
  shared: 'Shared mailbox',
  distribution: 'Distribution group',
  security: 'Security group',
};
export const kindText = (kind: RecipientKind): string => kindNames[kind] ?? kind;

export function recipientPairs(view: RecipientView): [string, string][] {
  return [
    ['Address', view.primaryAddress],
    ['Display name', view.displayName],
    ['Type', kindText(view.kind)],
    ['Other addresses', orDash(view.proxyAddresses.join(', '))],
    ['Hidden from address lists', yesNo(view.hiddenFromAddressList)],
    ['Created', view.createdAt],
  ];
}

export function accountPairs(view: AccountView): [string, string][] {
  const [address, name, type, ...rest] = recipientPairs(view);
  return [address!, name!, type!, ['Sign-in', signInText(view.signInBlocked)], ['Roles', rolesText(view.roles)], ...rest];
}

/** Grants on a mailbox, one row per trustee. */
export function printPermissions(out: Output, permissions: readonly PermissionView[], empty: string): void {
  out.table(
    ['Trustee', 'Name', 'Type', 'Rights', 'Automap'],
    permissions.map((p): Row => [p.trustee, p.trusteeName, kindText(p.trusteeKind), p.rights.join(', '), p.rights.some((r) => r === 'FullAccess' || r === 'ReadOnly' || r === 'NoDelete') ? yesNo(p.automap) : '-']),
    empty,
  );
}

/** What a user can open or send as, and through which group. */
export function printMailboxAccess(out: Output, access: readonly MailboxAccessView[], empty: string): void {
  out.table(
    ['Mailbox', 'Name', 'Rights', 'Automap', 'Via'],
    access.map((a): Row => [a.mailbox, a.displayName, a.rights.join(', '), a.rights.some((r) => r === 'FullAccess' || r === 'ReadOnly' || r === 'NoDelete') ? yesNo(a.automap) : '-', orDash(a.via.join(', '))]),
    empty,
  );
}
