import { randomBytes } from 'node:crypto';

export interface FailedRecipient {
  readonly recipient: string;
  /** RFC 3463 status, e.g. "5.2.2". */
  readonly status: string;
  /** Words for the person who sent the message. */
  readonly reason: string;
  /** The remote server's reply, when there was one (RFC 3464 §2.3.6). */
  readonly diagnostic?: string;
  /** The remote server that gave it (RFC 3464 §2.3.5). */
  readonly remoteMta?: string;
  /** When delivery was last tried (RFC 3464 §2.3.7). */
  readonly lastAttempt?: Date;
}

export interface DsnInput {
  readonly hostname: string;
  readonly originalSender: string;
  readonly originalMessage: Buffer;
  readonly failures: readonly FailedRecipient[];
  readonly arrivalDate: Date;
  readonly now?: Date;
}

const headerEnd = (raw: Buffer): number => {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return crlf + 2;
  return lf >= 0 ? lf + 1 : raw.length;
};

const rfc5322Date = (d: Date): string => d.toUTCString().replace('GMT', '+0000');

function originalSubject(headers: string): string {
  const match = /^subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(headers);
  return match?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim() ?? '';
}

/**
 * A non-delivery report as RFC 3464 describes it: multipart/report with a human part, a
 * message/delivery-status part (one block per failed recipient) and the original headers.
 * Sent with a null envelope sender (RFC 5321 §4.5.5) so it can never bounce back.
 */
export function buildDeliveryStatusNotification(input: DsnInput): Buffer {
  const now = input.now ?? new Date();
  const boundary = `=_mailroom_report_${randomBytes(8).toString('hex')}`;
  const headers = input.originalMessage.subarray(0, headerEnd(input.originalMessage)).toString('utf8').replace(/\r?\n/g, '\r\n').trimEnd();
  const subject = originalSubject(headers);
  const human = [
    "Your message couldn't be delivered to these recipients:",
    '',
    ...input.failures.map((f) => `  ${f.recipient}: ${f.reason}`),
    '',
    `The message was received by ${input.hostname} at ${rfc5322Date(input.arrivalDate)}.`,
  ].join('\r\n');
  const perRecipient = input.failures.map((f) => [
    `Final-Recipient: rfc822; ${f.recipient}`,
    'Action: failed',
    `Status: ${f.status}`,
    ...(f.remoteMta ? [`Remote-MTA: dns; ${f.remoteMta}`] : []),
    ...(f.diagnostic ? [`Diagnostic-Code: smtp; ${f.diagnostic.replace(/[\r\n]+/g, ' ')}`] : []),
    ...(f.lastAttempt ? [`Last-Attempt-Date: ${rfc5322Date(f.lastAttempt)}`] : []),
  ].join('\r\n')).join('\r\n\r\n');
  const message = [
    `From: Mail Delivery System <MAILER-DAEMON@${input.hostname}>`,
    `To: <${input.originalSender}>`,
    `Subject: Undeliverable: ${subject}`.trimEnd(),
    `Date: ${rfc5322Date(now)}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@${input.hostname}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    human,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${input.hostname}`,
    `Arrival-Date: ${rfc5322Date(input.arrivalDate)}`,
    '',
    perRecipient,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    headers,
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return Buffer.from(message, 'utf8');
}
