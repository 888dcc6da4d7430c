import type { DeliveryContext } from './pipeline-types.js';
import { buildDeliveryStatusNotification } from './dsn.js';

/**
 * After acceptance, a local recipient that can't take the message produces an NDR to the
 * sender — never to a null sender (RFC 5321 §4.5.5), so reports can't loop.
 */
export function queueNonDeliveryReport(hostname: string) {
  return (ctx: DeliveryContext): void => {
    if (ctx.job.mail_from === '' || ctx.effects.failed.length === 0) return;
    const report = buildDeliveryStatusNotification({
      hostname,
      originalSender: ctx.job.mail_from,
      originalMessage: ctx.raw,
      failures: ctx.effects.failed,
      arrivalDate: new Date(ctx.job.received_at),
    });
    ctx.effects.generated.push({ raw: report, mailFrom: '', recipients: [ctx.job.mail_from], source: 'system' });
  };
}
