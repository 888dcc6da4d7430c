import type { MailboxStage } from '../pipeline-types.js';

/** Stores the message in the mailbox's Inbox: one more reference to the same blob. */
export const storeInInbox: MailboxStage = async (ctx, delivery) => {
  await ctx.store(delivery.mailbox, null, []);
  return 'continue';
};
