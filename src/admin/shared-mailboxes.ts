import { suggestLocalPart } from '../core/address.js';
import { InvalidInput } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { createAccount, hashPassword } from '../directory/accounts.js';
import { defaultDomain, isAcceptedDomain } from '../directory/domains.js';
import { createDefaultSettings } from '../directory/mailbox-settings.js';
import { unknowableSecret } from '../directory/passwords.js';
import { createRecipient, listRecipients, removeRecipient, requireRecipient } from '../directory/recipients.js';
import { releaseMailboxBlobs } from '../store/mail/mailbox-removal.js';
import { changeAudited, requireAdmin, type AdminContext } from './context.js';
import { sharedMailboxView, type SharedMailboxView } from './views.js';

/**
 * The address the wizard proposes for a name: letters and digits of the name, lower case,
 * at the given domain or the default one ("Sales Team" → salesteam@<default domain>).
 */
export async function suggestSharedAddress(ctx: AdminContext, displayName: string, domain?: string): Promise<string> {
  requireAdmin(ctx.actor, 'recipients');
  const localPart = suggestLocalPart(displayName);
  if (localPart === '') throw new InvalidInput('The name has no letters or digits to make an address from. Enter the address yourself.', 'name');
  const at = domain ? domain.toLowerCase() : await defaultDomain(ctx.db);
  if (domain && !(await isAcceptedDomain(ctx.db, at))) throw new InvalidInput(messages.domainNotAccepted(at), 'domain');
  return `${localPart}@${at}`;
}

/**
 * Creates a shared mailbox from a display name (and optionally an address). Its account
 * gets a random secret nobody knows and is blocked from the start: members use their own
 * credentials through grants.
 */
export async function addSharedMailbox(ctx: AdminContext, input: { displayName: string; address?: string }): Promise<SharedMailboxView> {
  requireAdmin(ctx.actor, 'recipients');
  const address = input.address ?? await suggestSharedAddress(ctx, input.displayName);
  const secretHash = await hashPassword(unknowableSecret());
  return changeAudited(ctx, async (tx, audit) => {
    const recipient = await createRecipient(tx, { kind: 'shared', displayName: input.displayName, address });
    await createAccount(tx, recipient.id, secretHash, true);
    await createDefaultSettings(tx, recipient.id);
    const view = await sharedMailboxView(tx, recipient);
    await audit({ action: 'shared.add', target: recipient.primaryAddress, after: view });
    return view;
  });
}

export async function listSharedMailboxes(ctx: AdminContext, search?: string): Promise<SharedMailboxView[]> {
  requireAdmin(ctx.actor, 'recipients');
  const recipients = await listRecipients(ctx.db, { kinds: ['shared'], ...(search ? { search } : {}) });
  return Promise.all(recipients.map((r) => sharedMailboxView(ctx.db, r)));
}

export async function showSharedMailbox(ctx: AdminContext, address: string): Promise<SharedMailboxView> {
  requireAdmin(ctx.actor, 'recipients');
  return sharedMailboxView(ctx.db, await requireRecipient(ctx.db, address, ['shared']));
}

export async function removeSharedMailbox(ctx: AdminContext, address: string): Promise<void> {
  requireAdmin(ctx.actor, 'recipients');
  await changeAudited(ctx, async (tx, audit) => {
    const target = await requireRecipient(tx, address, ['shared']);
    const before = await sharedMailboxView(tx, target);
    await releaseMailboxBlobs(tx, target.id);
    await removeRecipient(tx, target.id);
    await audit({ action: 'shared.remove', target: target.primaryAddress, before });
  });
}
