import type { DeliveryMailbox } from '../../directory/delivery-lookup.js';
import type { MailboxStage } from '../pipeline-types.js';

/** RFC 5321 §6.3: a message that has crossed this many hops is looping; it is not forwarded again. */
const maxHops = 30;

const hopCount = (raw: Buffer): number => {
  const end = raw.indexOf('\r\n\r\n');
  const header = raw.subarray(0, end < 0 ? Math.min(raw.length, 64 * 1024) : end).toString('latin1');
  return (header.match(/^received:/gim) ?? []).length;
};

/** Per job: the mailboxes that forwarded the message on without keeping a copy. */
const forwardedAway = new WeakMap<object, Set<string>>();

/**
 * Forwarding: an internal target joins this delivery (once — the visited set breaks loops
 * inside the organization), an external one goes to the outbound queue with the original
 * bytes and an SRS envelope sender. With keep-a-copy off the mailbox itself stores nothing,
 * unless every internal target already passed the message on without a copy: then this is
 * where the loop closes (A → B → A, neither keeping one), and this mailbox keeps it rather
 * than nobody.
 */
export function forwardStage(rewriteSender: (sender: string) => string): MailboxStage {
  return async (ctx, { mailbox, visited, queue }) => {
    const { forwarding } = await ctx.settingsOf(mailbox.id);
    if (!forwarding.enabled || !forwarding.address) return 'continue';
    if (hopCount(ctx.raw) >= maxHops) return 'continue';
    const target = await ctx.resolve(forwarding.address);
    const away = forwardedAway.get(ctx) ?? new Set<string>();
    forwardedAway.set(ctx, away);
    let someoneStoresIt = false;
    const enqueueLocal = (recipient: DeliveryMailbox) => {
      if (recipient.id !== mailbox.id && !away.has(recipient.id)) someoneStoresIt = true;
      if (!visited.has(recipient.id)) {
        visited.add(recipient.id);
        queue.push(recipient);
      }
    };
    switch (target.kind) {
      case 'mailbox':
        enqueueLocal(target.mailbox);
        break;
      case 'group':
        for (const member of await ctx.expandGroup(target.groupId)) enqueueLocal(member);
        break;
      case 'remote':
        if (!ctx.effects.outbound.some((o) => o.recipient.toLowerCase() === forwarding.address!.toLowerCase())) {
          ctx.effects.outbound.push({ recipient: forwarding.address, mailFrom: rewriteSender(ctx.job.mail_from) });
        }
        someoneStoresIt = true;
        break;
      default:
        // The target vanished since it was configured: keep the message rather than lose it.
        return 'continue';
    }
    if (forwarding.keepCopy || !someoneStoresIt) return 'continue';
    away.add(mailbox.id);
    return 'stop';
  };
}
