import { getRecipientById, isMailboxKind } from '../../directory/recipients.js';
import { folderWithRole } from '../../store/mail/folders.js';
import { appendMessage } from '../../store/mail/message-writer.js';
import type { DeliveryContext } from '../pipeline-types.js';

/**
 * A job-level step of submission jobs: the mailbox a member sent as (or on behalf of) keeps a
 * copy in its Sent Items, marked \Seen, when its copy setting for that mode was on at
 * submission. It runs in the job's transaction, so the copy exists exactly once. The member's
 * own Sent Items copy is the client's (IMAP APPEND), as clients do it.
 */
export async function storeSentCopy(ctx: DeliveryContext, mailboxId: string): Promise<void> {
  const mailbox = await getRecipientById(ctx.tx, mailboxId);
  // Removed since the message was accepted: there is nowhere to keep the copy.
  if (!mailbox || !isMailboxKind(mailbox.kind)) return;
  const sent = await folderWithRole(ctx.tx, mailbox.id, '\\Sent');
  await ctx.blobs.reference(ctx.tx, ctx.blob, 1);
  const appended = await appendMessage(ctx.tx, ctx.engine, {
    folder: sent,
    blob: ctx.blob,
    indexed: ctx.indexed,
    flags: ['\\Seen'],
    internalDate: ctx.job.received_at,
  });
  ctx.effects.changes.push(appended.change);
}
