import type { Kysely } from 'kysely';
import { NotFound } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import type { Principal } from '../../directory/accounts.js';
import { mailboxAccessLevel, type MailboxAccessLevel } from '../../directory/grants.js';
import { findRecipient, isMailboxKind, type Recipient } from '../../directory/recipients.js';
import type { Database } from '../sql/schema.js';

export interface OpenedMailbox {
  readonly mailbox: Recipient;
  /** owner, full (FullAccess), no-delete (NoDelete) or read-only (ReadOnly). */
  readonly level: MailboxAccessLevel;
}

/**
 * The one rule every reader follows (IMAP, CalDAV, the web app, the HTTP API): a principal
 * opens its own mailbox and any mailbox it holds FullAccess, NoDelete or ReadOnly on, directly
 * or through a security group, evaluated now. Anyone else is told the mailbox does not exist,
 * so its existence is not revealed.
 */
export async function openMailbox(db: Kysely<Database>, principal: Principal, address: string): Promise<OpenedMailbox> {
  const mailbox = await findRecipient(db, address);
  if (mailbox && isMailboxKind(mailbox.kind)) {
    const level = await mailboxAccessLevel(db, principal.id, mailbox.id);
    if (level !== null) return { mailbox, level };
  }
  throw new NotFound(messages.unknownRecipient(address));
}

/** openMailbox() for callers that read and write with full rights only (the message API): FullAccess or owner. */
export async function openableMailbox(db: Kysely<Database>, principal: Principal, address: string): Promise<Recipient> {
  const opened = await openMailbox(db, principal, address);
  if (opened.level === 'owner' || opened.level === 'full') return opened.mailbox;
  throw new NotFound(messages.unknownRecipient(address));
}
