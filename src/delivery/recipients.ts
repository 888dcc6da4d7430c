import type { Kysely } from 'kysely';
import { expandGroup } from '../directory/groups.js';
import { isMailboxKind, type Recipient } from '../directory/recipients.js';
import { resolveAddress } from '../directory/resolve.js';
import type { Database } from '../store/sql/schema.js';
import { reverseSrsAddress } from './srs-address.js';

export interface ExpandedRecipients {
  mailboxes: Recipient[];
  remote: string[];
  failed: { recipient: string; reason: string; status: string }[];
}

/**
 * Turns envelope recipients into mailboxes: groups expand (nested, loop-safe) and every
 * mailbox appears once however many ways it was reached.
 */
export async function expandRecipients(db: Kysely<Database>, addresses: readonly string[]): Promise<ExpandedRecipients> {
  const seen = new Set<string>();
  const result: ExpandedRecipients = { mailboxes: [], remote: [], failed: [] };
  const add = (recipient: Recipient) => {
    if (isMailboxKind(recipient.kind) && !seen.has(recipient.id)) {
      seen.add(recipient.id);
      result.mailboxes.push(recipient);
    }
  };
  for (const address of addresses) {
    let resolution = await resolveAddress(db, address);
    let target = address;
    if (resolution.kind === 'unknown-recipient') {
      // A bounce to the SRS address of mail we forwarded goes back to the original sender.
      const original = await reverseSrsAddress(db, address);
      if (original) {
        target = original;
        resolution = await resolveAddress(db, original);
      }
    }
    switch (resolution.kind) {
      case 'mailbox': add(resolution.recipient); break;
      case 'group': for (const member of await expandGroup(db, resolution.recipient.id)) add(member); break;
      case 'remote': result.remote.push(target); break;
      case 'unknown-recipient':
      case 'not-mail-enabled':
        result.failed.push({ recipient: address, reason: 'The email address you entered couldn\'t be found.', status: '5.1.1' });
    }
  }
  return result;
}
