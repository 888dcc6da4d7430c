import { InvalidInput } from '../core/errors.js';
import { allMailboxRights, deleteGrant, putGrant } from '../directory/grants.js';
import { requireRecipient, type Recipient } from '../directory/recipients.js';
import type { MailboxRight } from '../store/sql/schema.js';
import { changeAudited, requireAdmin, type AdminContext } from './context.js';
import { resolveTrustee } from './trustees.js';
import { sharedMailboxView, type PermissionView } from './views.js';

/** What "Add members" grants in Microsoft's admin center: read the mail and answer as the mailbox. */
const memberRights: readonly MailboxRight[] = ['FullAccess', 'SendAs'];

export async function listMembers(ctx: AdminContext, shared: string): Promise<PermissionView[]> {
  requireAdmin(ctx.actor, 'recipients');
  return (await sharedMailboxView(ctx.db, await requireRecipient(ctx.db, shared, ['shared']))).members;
}

/** Adds members (users or security groups). All are checked before anything is granted. */
export async function addMembers(ctx: AdminContext, shared: string, identifiers: readonly string[], automap = true): Promise<PermissionView[]> {
  requireAdmin(ctx.actor, 'recipients');
  if (identifiers.length === 0) throw new InvalidInput('Choose at least one member.', 'members');
  return changeAudited(ctx, async (tx, audit) => {
    const mailbox = await requireRecipient(tx, shared, ['shared']);
    const trustees: Recipient[] = [];
    for (const identifier of identifiers) trustees.push(await resolveTrustee(tx, identifier));
    for (const trustee of trustees) {
      for (const right of memberRights) await putGrant(tx, mailbox.id, trustee.id, right, automap);
      await audit({ action: 'member.add', target: mailbox.primaryAddress, after: { member: trustee.primaryAddress, rights: memberRights, automap } });
    }
    return (await sharedMailboxView(tx, mailbox)).members;
  });
}

/** Removes members: every mailbox right they hold on the shared mailbox goes. */
export async function removeMembers(ctx: AdminContext, shared: string, identifiers: readonly string[]): Promise<PermissionView[]> {
  requireAdmin(ctx.actor, 'recipients');
  if (identifiers.length === 0) throw new InvalidInput('Choose at least one member.', 'members');
  return changeAudited(ctx, async (tx, audit) => {
    const mailbox = await requireRecipient(tx, shared, ['shared']);
    const current = (await sharedMailboxView(tx, mailbox)).members;
    const trustees: Recipient[] = [];
    for (const identifier of identifiers) {
      const trustee = await resolveTrustee(tx, identifier);
      if (!current.some((m) => m.trustee === trustee.primaryAddress)) {
        throw new InvalidInput(`"${trustee.primaryAddress}" is not a member of "${mailbox.displayName}".`, 'members');
      }
      trustees.push(trustee);
    }
    for (const trustee of trustees) {
      for (const right of allMailboxRights) await deleteGrant(tx, mailbox.id, trustee.id, right);
      await audit({ action: 'member.remove', target: mailbox.primaryAddress, before: { member: trustee.primaryAddress } });
    }
    return (await sharedMailboxView(tx, mailbox)).members;
  });
}
