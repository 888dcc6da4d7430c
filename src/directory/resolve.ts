import type { Kysely } from 'kysely';
import type { Database } from '../store/sql/schema.js';
import { isAcceptedDomain } from './domains.js';
import { findRecipient, type Recipient } from './recipients.js';

/** What an address means to this organization, for SMTP RCPT and for forwarding. */
export type Resolution =
  | { kind: 'mailbox'; recipient: Recipient }
  | { kind: 'group'; recipient: Recipient }
  | { kind: 'not-mail-enabled'; recipient: Recipient }
  | { kind: 'unknown-recipient' }
  | { kind: 'remote' };

export async function resolveAddress(db: Kysely<Database>, address: string): Promise<Resolution> {
  const at = address.lastIndexOf('@');
  const domain = at > 0 ? address.slice(at + 1).toLowerCase() : '';
  if (!domain || !(await isAcceptedDomain(db, domain))) return { kind: 'remote' };
  const recipient = await findRecipient(db, address);
  if (!recipient) return { kind: 'unknown-recipient' };
  if (!recipient.mailEnabled) return { kind: 'not-mail-enabled', recipient };
  if (recipient.kind === 'distribution' || recipient.kind === 'security') return { kind: 'group', recipient };
  return { kind: 'mailbox', recipient };
}
