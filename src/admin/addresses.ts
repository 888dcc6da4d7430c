import { addProxyAddress, removeProxyAddress, requireRecipient } from '../directory/recipients.js';
import { changeAudited, requireAdmin, type AdminContext } from './context.js';
import { recipientView, type RecipientView } from './views.js';

/** Adds a proxy address (alias) to any recipient; it must be free and in an accepted domain. */
export async function addAddress(ctx: AdminContext, recipientAddress: string, address: string): Promise<RecipientView> {
  requireAdmin(ctx.actor, 'recipients');
  return changeAudited(ctx, async (tx, audit) => {
    const recipient = await requireRecipient(tx, recipientAddress);
    await addProxyAddress(tx, recipient, address);
    const after = recipientView(await requireRecipient(tx, recipient.primaryAddress));
    await audit({ action: 'address.add', target: recipient.primaryAddress, before: { proxyAddresses: recipient.proxyAddresses }, after: { proxyAddresses: after.proxyAddresses } });
    return after;
  });
}

export async function removeAddress(ctx: AdminContext, recipientAddress: string, address: string): Promise<RecipientView> {
  requireAdmin(ctx.actor, 'recipients');
  return changeAudited(ctx, async (tx, audit) => {
    const recipient = await requireRecipient(tx, recipientAddress);
    await removeProxyAddress(tx, recipient, address);
    const after = recipientView(await requireRecipient(tx, recipient.primaryAddress));
    await audit({ action: 'address.remove', target: recipient.primaryAddress, before: { proxyAddresses: recipient.proxyAddresses }, after: { proxyAddresses: after.proxyAddresses } });
    return after;
  });
}
