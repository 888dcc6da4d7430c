import { inboxOf } from '../../store/mail/folders.js';
import { appendMessage } from '../../store/mail/message-writer.js';
import type { MailboxStage } from '../pipeline-types.js';

/** Stores the message in the mailbox's Inbox: one more reference to the same blob. */
export const storeInInbox: MailboxStage = async (ctx, delivery) => {
  const inbox = await inboxOf(ctx.tx, delivery.mailbox.id);
  await ctx.blobs.reference(ctx.tx, ctx.blob, 1);
  const appended = await appendMessage(ctx.tx, ctx.engine, {
    folder: inbox,
    blob: ctx.blob,
    indexed: ctx.indexed,
    flags: [],
    internalDate: ctx.job.received_at,
  });
  ctx.effects.changes.push(appended.change);
  return 'continue';
};
