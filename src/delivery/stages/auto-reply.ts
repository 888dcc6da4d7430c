import { isAcceptedDomain } from '../../directory/domains.js';
import { getHeader, parseHeaderBlock, type HeaderField } from '../../protocol/mime/headers.js';
import type { MailboxStage } from '../pipeline-types.js';
import { systemMessage } from '../system-message.js';

/** RFC 3834 §2: at most one reply per sender per mailbox in this period. */
const replyIntervalMs = 4 * 24 * 3600 * 1000;

/** RFC 3834 §2 and §3.1: mail that must never get an automatic reply. */
function mustNotReply(fields: readonly HeaderField[], sender: string): boolean {
  const autoSubmitted = getHeader(fields, 'auto-submitted');
  if (autoSubmitted && autoSubmitted.trim().toLowerCase() !== 'no') return true;
  if (getHeader(fields, 'list-id') || getHeader(fields, 'list-unsubscribe') || getHeader(fields, 'list-post')) return true;
  const precedence = getHeader(fields, 'precedence')?.trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk') return true;
  return /^(mailer-daemon|postmaster|owner-.*|.*-request|.*-owner|no-?reply)@/i.test(sender);
}

/**
 * Automatic replies: the internal message to senders in the organization's domains, the
 * external one (when set) to others — all of them, or only those the mailbox has written to.
 * Scheduled replies go out only inside their window. Replies have a null envelope sender
 * and `Auto-Submitted: auto-replied` (RFC 3834 §3.3, §5).
 */
export const autoReplyStage: MailboxStage = async (ctx, { mailbox }) => {
  const sender = ctx.job.mail_from;
  if (sender === '' || ctx.job.source === 'system') return 'continue';
  const { autoReply } = await ctx.settingsOf(mailbox.id);
  if (autoReply.state === 'off') return 'continue';
  if (autoReply.state === 'scheduled') {
    const now = ctx.now.getTime();
    if (!autoReply.start || !autoReply.end || now < Date.parse(autoReply.start) || now >= Date.parse(autoReply.end)) return 'continue';
  }
  const { fields } = parseHeaderBlock(ctx.raw);
  if (mustNotReply(fields, sender)) return 'continue';

  const senderKey = sender.toLowerCase();
  const internal = await isAcceptedDomain(ctx.tx, senderKey.slice(senderKey.lastIndexOf('@') + 1));
  let text: string | null = internal ? autoReply.internalMessage : autoReply.externalMessage;
  if (!internal && text && autoReply.externalAudience === 'known') {
    const known = await ctx.tx.selectFrom('known_senders').select('address_key')
      .where('mailbox_id', '=', mailbox.id).where('address_key', '=', senderKey).executeTakeFirst();
    if (!known) text = null;
  }
  if (!text) return 'continue';

  const last = await ctx.tx.selectFrom('auto_reply_log').select('sent_at')
    .where('mailbox_id', '=', mailbox.id).where('sender_key', '=', senderKey).executeTakeFirst();
  if (last && ctx.now.getTime() - Date.parse(last.sent_at) < replyIntervalMs) return 'continue';
  await ctx.tx.insertInto('auto_reply_log').values({ mailbox_id: mailbox.id, sender_key: senderKey, sent_at: ctx.now.toISOString() })
    .onConflict((oc) => oc.columns(['mailbox_id', 'sender_key']).doUpdateSet({ sent_at: ctx.now.toISOString() })).execute();

  const messageId = ctx.indexed.messageId;
  ctx.effects.generated.push({
    raw: systemMessage({
      from: `${mailbox.displayName.replace(/["\\]/g, '')} <${mailbox.primaryAddress}>`.replace(/^(.*) </, '"$1" <'),
      to: sender,
      subject: `Automatic reply: ${ctx.indexed.subject}`.trimEnd(),
      text,
      inReplyTo: messageId,
      references: [...ctx.indexed.references, ...(messageId ? [messageId] : [])],
      autoSubmitted: 'auto-replied',
    }),
    mailFrom: '',
    recipients: [sender],
    source: 'system',
  });
  return 'continue';
};
