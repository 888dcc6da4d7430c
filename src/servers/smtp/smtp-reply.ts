import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

/**
 * An SMTP refusal with its reply code and RFC 3463 enhanced status code. smtp-server reads
 * `responseCode` and `message`; the message starts with the enhanced code.
 */
export class SmtpReply extends Error {
  readonly responseCode: number;

  constructor(code: number, enhanced: string, text: string) {
    super(`${enhanced} ${text}`);
    this.responseCode = code;
  }
}

const explicitEnhancedCode = /^[245]\.\d{1,3}\.\d{1,3} /;

type Send = (this: unknown, code: number, data: unknown, context?: unknown) => void;
const connectionPrototype = (SMTPConnection as unknown as { prototype: { send: Send } }).prototype;
const originalSend = connectionPrototype.send;

/**
 * smtp-server derives the enhanced code from the reply code alone (550 is always 5.1.1).
 * RFC 3463 codes depend on the reason (5.7.1 relaying denied, 5.7.60 send-as), so a reply
 * whose text already starts with an enhanced code is sent as it is. Installed once.
 */
connectionPrototype.send = function sendWithExplicitEnhancedCode(code, data, context) {
  if (typeof data === 'string' && explicitEnhancedCode.test(data)) return originalSend.call(this, code, data, false);
  return originalSend.call(this, code, data, context);
};

export const smtpReplies = {
  unknownRecipient: (address: string) => new SmtpReply(550, '5.1.1', `<${address}>: Recipient address rejected: the email account that you tried to reach does not exist`),
  relayDenied: (address: string) => new SmtpReply(550, '5.7.1', `<${address}>: Relay access denied: we do not accept mail for this domain`),
  notMailEnabled: (address: string) => new SmtpReply(550, '5.1.1', `<${address}>: Recipient address rejected: this recipient does not receive mail`),
  messageTooBig: (limit: number) => new SmtpReply(552, '5.3.4', `Message size exceeds the fixed maximum message size of ${limit} bytes`),
  mailboxFull: () => new SmtpReply(552, '5.2.2', "The recipient's mailbox is full and can't accept messages now."),
  sendQuotaExceeded: () => new SmtpReply(554, '5.2.2', "Your mailbox is full and can't send messages. Delete some items or ask your administrator for more space."),
  notPermittedSender: () => new SmtpReply(550, '5.7.60', 'SMTP; Client does not have permissions to send as this sender'),
  temporaryFailure: () => new SmtpReply(451, '4.3.0', 'Temporary local problem, please try again later'),
  dmarcRejected: () => new SmtpReply(550, '5.7.1', "Rejected by the sender domain's DMARC policy (RFC 7489)"),
} as const;
