import type { MailboxStage } from '../pipeline-types.js';
import { autoReplyStage } from './auto-reply.js';
import { forwardStage } from './forward.js';
import { enforceQuota } from './quota.js';
import { storeInInbox } from './store-in-inbox.js';

/** The per-mailbox stages, in the order of the design's path of a message: quota → forwarding → store → automatic reply. */
export function mailboxStages(rewriteSender: (sender: string) => string): readonly MailboxStage[] {
  return [enforceQuota, forwardStage(rewriteSender), storeInInbox, autoReplyStage];
}
