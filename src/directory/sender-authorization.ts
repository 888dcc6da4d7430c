import type { Kysely } from 'kysely';
import type { Database } from '../store/sql/schema.js';
import { mailboxAccessFor } from './grants.js';
import { findRecipient, isMailboxKind, type Recipient } from './recipients.js';

/** How a user may put an address in From: as themself, as the mailbox (SendAs), or on its behalf (SendOnBehalf, with Sender:). */
export type SendMode = 'self' | 'send-as' | 'send-on-behalf';

export type SenderAuthorization =
  | { readonly allowed: true; readonly mode: SendMode; readonly mailbox: Recipient }
  | { readonly allowed: false };

/**
 * Whether a user may send from an address: one of their own addresses (primary or proxy), or
 * a mailbox on which they hold SendAs or SendOnBehalf, directly or through a security group.
 * Send As wins when both are held (Exchange). Evaluated now, never cached, so a grant or its
 * removal applies to the very next message. Anything else, groups and outside addresses
 * included, is refused.
 */
export async function authorizeSender(db: Kysely<Database>, userId: string, address: string): Promise<SenderAuthorization> {
  // An address, never an alias: findRecipient would otherwise look a bare name up as one.
  if (!address.includes('@')) return { allowed: false };
  const mailbox = await findRecipient(db, address);
  if (!mailbox || !isMailboxKind(mailbox.kind)) return { allowed: false };
  if (mailbox.id === userId) return { allowed: true, mode: 'self', mailbox };
  const access = (await mailboxAccessFor(db, userId)).find((a) => a.mailboxId === mailbox.id);
  if (access?.rights.includes('SendAs')) return { allowed: true, mode: 'send-as', mailbox };
  if (access?.rights.includes('SendOnBehalf')) return { allowed: true, mode: 'send-on-behalf', mailbox };
  return { allowed: false };
}
