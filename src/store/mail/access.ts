import type { Kysely } from 'kysely';
import { NotFound } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import type { Principal } from '../../directory/accounts.js';
import { hasMailboxRight } from '../../directory/grants.js';
import { findRecipient, isMailboxKind, type Recipient } from '../../directory/recipients.js';
import type { Database } from '../sql/schema.js';

/**
 * The one rule every reader follows (IMAP, CalDAV, the web app, the HTTP API): a principal
 * opens its own mailbox and any mailbox it holds FullAccess on, directly or through a
 * security group, evaluated now. Anyone else is told the mailbox does not exist, so its
 * existence is not revealed.
 */
export async function openableMailbox(db: Kysely<Database>, principal: Principal, address: string): Promise<Recipient> {
  const mailbox = await findRecipient(db, address);
  if (mailbox && isMailboxKind(mailbox.kind)) {
    if (mailbox.id === principal.id || await hasMailboxRight(db, principal.id, mailbox.id, 'FullAccess')) return mailbox;
  }
  throw new NotFound(messages.unknownRecipient(address));
}
