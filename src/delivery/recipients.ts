import type { DeliveryMailbox } from '../directory/delivery-lookup.js';
import type { DeliveryContext } from './pipeline-types.js';
import { reverseSrsAddress } from './srs-address.js';

export interface ExpandedRecipients {
  mailboxes: DeliveryMailbox[];
  remote: string[];
  failed: { recipient: string; reason: string; status: string }[];
}

/**
 * Turns envelope recipients into mailboxes: groups expand (nested, loop-safe) and every
 * mailbox appears once however many ways it was reached.
 */
export async function expandRecipients(ctx: Pick<DeliveryContext, 'tx' | 'resolve' | 'expandGroup'>, addresses: readonly string[]): Promise<ExpandedRecipients> {
  const seen = new Set<string>();
  const result: ExpandedRecipients = { mailboxes: [], remote: [], failed: [] };
  const add = (mailbox: DeliveryMailbox) => {
    if (!seen.has(mailbox.id)) {
      seen.add(mailbox.id);
      result.mailboxes.push(mailbox);
    }
  };
  for (const address of addresses) {
    let resolution = await ctx.resolve(address);
    let target = address;
    if (resolution.kind === 'unknown-recipient') {
      // A bounce to the SRS address of mail we forwarded goes back to the original sender.
      const original = await reverseSrsAddress(ctx.tx, address);
      if (original) {
        target = original;
        resolution = await ctx.resolve(original);
      }
    }
    switch (resolution.kind) {
      case 'mailbox': add(resolution.mailbox); break;
      case 'group': for (const member of await ctx.expandGroup(resolution.groupId)) add(member); break;
      case 'remote': result.remote.push(target); break;
      case 'unknown-recipient':
      case 'not-mail-enabled':
        result.failed.push({ recipient: address, reason: 'The email address you entered couldn\'t be found.', status: '5.1.1' });
    }
  }
  return result;
}
