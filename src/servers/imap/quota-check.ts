import { formatSize } from '../../core/sizes.js';
import { mailboxUsage } from '../../store/mail/message-writer.js';
import type { Session } from './session.js';
import { no, type CommandResult } from './types.js';

/** A mailbox's storage quota as IMAP reports it: usage and the prohibit-send-receive limit, in bytes. */
export interface MailboxQuota {
  readonly usedBytes: number;
  readonly messages: number;
  readonly limitBytes: number;
}

export async function mailboxQuota(session: Session, mailboxId: string): Promise<MailboxQuota> {
  const { db } = session.deps;
  const usage = await mailboxUsage(db, mailboxId);
  const settings = await db.selectFrom('mailbox_settings').select('quota_receive_bytes')
    .where('recipient_id', '=', mailboxId).executeTakeFirst();
  return { usedBytes: usage.bytes, messages: usage.messages, limitBytes: Number(settings?.quota_receive_bytes ?? Number.POSITIVE_INFINITY) };
}

/**
 * Refuses a write that would take a mailbox past its prohibit-send-receive quota, the limit
 * delivery also enforces (delivery/stages/quota.ts). RFC 9208 §5.1 / RFC 5530: APPEND, COPY and
 * MOVE fail with NO [OVERQUOTA]. Returns null when the bytes fit.
 */
export async function assertQuota(session: Session, mailboxId: string, addBytes: number): Promise<CommandResult | null> {
  const quota = await mailboxQuota(session, mailboxId);
  if (quota.usedBytes + addBytes <= quota.limitBytes) return null;
  return no(`The mailbox is over its quota (${formatSize(quota.usedBytes)} of ${formatSize(quota.limitBytes)} used)`, { code: 'OVERQUOTA' });
}
