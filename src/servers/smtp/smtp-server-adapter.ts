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
interface ConnectionInternals {
  _server: { options: { maxClients?: number; greetingPauseMs?: number }; connections: Set<unknown> };
  _setListeners(ready: () => void): void;
  send(code: number, data: string, context?: unknown): void;
  connectionReady(): void;
}
const connectionPrototype = (SMTPConnection as unknown as { prototype: { send: Send; init(this: ConnectionInternals): void } }).prototype;
const originalSend = connectionPrototype.send;

/**
 * smtp-server waits a fixed 100 ms before every greeting to catch clients that talk too soon
 * (RFC 5321 §4.3.1 lets a server wait, it does not require it). For a server that must take
 * hundreds of one-message connections a second that pause is the whole budget, so the pause
 * is the `greetingPauseMs` server option here (0 = greet at once; early talkers are still
 * refused, since input before the greeting is rejected by smtp-server either way).
 */
connectionPrototype.init = function initWithConfigurablePause(this: ConnectionInternals) {
  this._setListeners(() => {
    const options = this._server.options;
    if (options.maxClients && this._server.connections.size > options.maxClients) {
      this.send(421, 'Too many connected clients, try again in a moment', false);
      return;
    }
    const pause = options.greetingPauseMs ?? 100;
    if (pause <= 0) setImmediate(() => this.connectionReady());
    else setTimeout(() => this.connectionReady(), pause).unref();
  });
};

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
  // RFC 4954 §6: the AUTH replies, with their RFC 3463 / RFC 5248 enhanced codes.
  authenticationRequired: () => new SmtpReply(530, '5.7.0', 'Authentication required'),
  authenticationFailed: () => new SmtpReply(535, '5.7.8', 'Authentication credentials invalid'),
  temporaryAuthenticationFailure: () => new SmtpReply(454, '4.7.0', 'Temporary authentication failure'),
  encryptionRequired: () => new SmtpReply(538, '5.7.11', 'Encryption required for requested authentication mechanism'),
  temporaryFailure: () => new SmtpReply(451, '4.3.0', 'Temporary local problem, please try again later'),
  dmarcRejected: () => new SmtpReply(550, '5.7.1', "Rejected by the sender domain's DMARC policy (RFC 7489)"),
} as const;

declare module 'smtp-server' {
  interface SMTPServerOptions {
    /** See initWithConfigurablePause above. */
    greetingPauseMs?: number;
  }
}
