import type { DeliveryContext } from '../pipeline-types.js';

/**
 * A job-level step of submission jobs: the mailbox a member sent as (or on behalf of) keeps a
 * copy in its Sent Items, marked \Seen, when its copy setting for that mode was on at
 * submission. It runs in the job's transaction, so the copy exists exactly once. The member's
 * own Sent Items copy is the client's (IMAP APPEND), as clients do it.
 */
export async function storeSentCopy(ctx: DeliveryContext, mailboxId: string): Promise<void> {
  const mailbox = await ctx.mailboxById(mailboxId);
  // Removed since the message was accepted: there is nowhere to keep the copy.
  if (!mailbox) return;
  await ctx.store(mailbox, '\\Sent', ['\\Seen']);
}
