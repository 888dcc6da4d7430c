import type { Kysely } from 'kysely';
import type { Principal } from '../../directory/accounts.js';
import { accessLevelOf, mailboxAccessFor, type MailboxAccessLevel } from '../../directory/grants.js';
import { getRecipientById, isMailboxKind, type Recipient } from '../../directory/recipients.js';
import { openMailbox } from '../mail/access.js';
import type { Database } from '../sql/schema.js';

type Db = Kysely<Database>;

/** A mailbox's calendars as one principal may use them. */
export interface CalendarHome {
  readonly mailbox: Recipient;
  readonly level: MailboxAccessLevel;
}

/** What each access level allows on calendars: the mailbox grants, read the same way as IMAP reads them. */
export const calendarRights = {
  read: (_level: MailboxAccessLevel): boolean => true,
  /** Create and change events and calendar properties. */
  write: (level: MailboxAccessLevel): boolean => level !== 'read-only',
  /** Remove events (and calendars): NoDelete members may add and change, never remove. */
  remove: (level: MailboxAccessLevel): boolean => level === 'owner' || level === 'full',
};

/**
 * The calendars of `address` for this principal, or NotFound (the same answer as a mailbox that
 * does not exist, so a non-member cannot learn that it does): store/mail/access.ts decides.
 */
export async function openCalendarHome(db: Db, principal: Principal, address: string): Promise<CalendarHome> {
  return openMailbox(db, principal, address);
}

/**
 * Calendar automapping: the other mailboxes whose calendars appear in the principal's own
 * calendar home, those it may open through a grant with automapping on (directly or through a
 * security group), evaluated now. Sorted by address.
 */
export async function automappedCalendarHomes(db: Db, principal: Principal): Promise<CalendarHome[]> {
  const homes: CalendarHome[] = [];
  for (const access of await mailboxAccessFor(db, principal.id)) {
    if (!access.automap || access.mailboxId === principal.id) continue;
    const level = accessLevelOf(access.rights);
    if (level === null) continue;
    const mailbox = await getRecipientById(db, access.mailboxId);
    if (mailbox && isMailboxKind(mailbox.kind)) homes.push({ mailbox, level });
  }
  return homes.sort((a, b) => a.mailbox.primaryAddress.localeCompare(b.mailbox.primaryAddress));
}
