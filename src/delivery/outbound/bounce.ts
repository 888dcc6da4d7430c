import type { MessageToAccept } from '../accept-queue.js';
import { buildDeliveryStatusNotification } from '../dsn.js';
import { srsReverse } from '../srs.js';
import type { QueueRow } from './queue-store.js';

export interface RemoteFailure {
  readonly status: string;
  readonly reason: string;
  /** The remote server's reply, for Diagnostic-Code. */
  readonly reply?: string | undefined;
  readonly host?: string | undefined;
}

/**
 * Who gets the DSN for a queued message: nobody for the null sender (RFC 5321 §4.5.5, so
 * reports never loop), the original sender for an SRS address of ours (forwarded mail), else
 * the envelope sender.
 */
export function reportRecipient(mailFrom: string, srsSecret: string): string | null {
  if (mailFrom === '') return null;
  return srsReverse(srsSecret, mailFrom) ?? mailFrom;
}

/** "2 days", "3 hours", "90 seconds": how long we kept trying, for the sender. */
export function lifetimeText(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? '' : 's'}`;
  }
  const seconds = Math.max(1, Math.round(ms / 1000));
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/**
 * The RFC 3464 report for a queued message that will not be delivered, as a generated delivery
 * job with the null sender; null when there is nobody to tell.
 */
export function deliveryFailureReport(input: {
  row: QueueRow;
  raw: Buffer;
  failure: RemoteFailure;
  hostname: string;
  srsSecret: string;
  now: Date;
}): MessageToAccept | null {
  const { row, failure } = input;
  const recipient = reportRecipient(row.mail_from, input.srsSecret);
  if (!recipient) return null;
  const report = buildDeliveryStatusNotification({
    hostname: input.hostname,
    originalSender: recipient,
    originalMessage: input.raw,
    failures: [{
      recipient: row.recipient,
      status: failure.status,
      reason: failure.reason,
      ...(failure.reply ? { diagnostic: failure.reply } : {}),
      ...(failure.host ? { remoteMta: failure.host } : {}),
      lastAttempt: input.now,
    }],
    arrivalDate: new Date(row.created_at),
    now: input.now,
  });
  return { raw: report, mailFrom: '', recipients: [recipient], source: 'system' };
}

/** The failure to report when a message's lifetime ends while it is still being deferred. */
export function expiryFailure(row: QueueRow, last: RemoteFailure): RemoteFailure {
  const lifetime = lifetimeText(Date.parse(row.expires_at) - Date.parse(row.created_at));
  return {
    // RFC 3463 X.4.7: delivery time expired. The last remote reply stays the diagnostic.
    status: '4.4.7',
    reason: `We kept trying for ${lifetime}, but the recipient's server didn't accept the message. Last error: ${last.reason}`,
    reply: last.reply,
    host: last.host,
  };
}
