import { formatSize } from '../../core/sizes.js';
import type { MailboxStage } from '../pipeline-types.js';
import { systemMessage } from '../system-message.js';

/**
 * Receive quota, checked again at delivery (a group or a forward can reach a mailbox that
 * RCPT never saw). Over prohibit-send-receive: the sender gets an NDR. Crossing
 * issue-warning stores one warning in the mailbox until usage drops back below it.
 */
export const enforceQuota: MailboxStage = async (ctx, { mailbox }) => {
  const [settings, usage] = await Promise.all([ctx.settingsOf(mailbox.id), ctx.usageOf(mailbox.id)]);
  const after = usage.bytes + ctx.raw.length;
  if (after > settings.quota.receiveBytes) {
    ctx.effects.failed.push({ recipient: mailbox.primaryAddress, status: '5.2.2', reason: "The recipient's mailbox is full and can't accept messages now." });
    return 'stop';
  }
  if (after >= settings.quota.warnBytes && !usage.warned) {
    await ctx.markQuotaWarned(mailbox.id);
    ctx.effects.generated.push({
      raw: systemMessage({
        to: mailbox.primaryAddress,
        subject: 'Your mailbox is almost full',
        text: `${mailbox.displayName} is using ${formatSize(after)} of ${formatSize(settings.quota.receiveBytes)}. ` +
          `At ${formatSize(settings.quota.sendBytes)} it can no longer send mail, and at ${formatSize(settings.quota.receiveBytes)} it can no longer receive mail. Delete items you no longer need, or ask your administrator for more space.`,
      }),
      mailFrom: '',
      recipients: [mailbox.primaryAddress],
      source: 'system',
    });
  }
  return 'continue';
};
