/** How one attempt to hand a queued message to a remote server ended, and when to try again. */
export type AttemptOutcome =
  | { readonly kind: 'delivered'; readonly reply: string; readonly host: string }
  /** 4xx, or no usable answer: try again later (RFC 5321 §4.5.4.1). */
  | { readonly kind: 'deferred'; readonly status: string; readonly reason: string; readonly reply?: string; readonly host?: string }
  /** 5xx: the same message would be refused again; report it to the sender now. */
  | { readonly kind: 'failed'; readonly status: string; readonly reason: string; readonly reply?: string; readonly host?: string }
  /** The worker is shutting down; the attempt does not count. */
  | { readonly kind: 'aborted' };

/** What the sending side reports for an error, before we know which row it concerns. */
export interface ClassifiedError {
  readonly outcome: Exclude<AttemptOutcome, { kind: 'delivered' }>;
  /** The host itself is unusable (no connection, 421, TLS trouble): the next MX may do better (RFC 5321 §5.1). */
  readonly tryNextHost: boolean;
  /** STARTTLS failed: the same host may still take the message in plain text (RFC 3207 §4.1, opportunistic). */
  readonly tlsFailed: boolean;
}

interface SmtpLikeError { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown }

const enhancedCode = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/;

/** RFC 3463 status of a reply: the enhanced code it carries (RFC 2034), else the class alone. */
export function statusOfReply(reply: string, replyCode: number): string {
  const found = enhancedCode.exec(reply)?.[1];
  if (found && found[0] === String(replyCode)[0]) return found;
  return replyCode >= 500 ? '5.0.0' : '4.0.0';
}

/** One line, no control characters: replies end up in logs, the queue listing and DSNs. */
export const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '').trim().slice(0, 1000);

const connectionStatus: Record<string, string> = {
  EDNS: '4.4.3', // directory server failure
  ETIMEDOUT: '4.4.1', // no answer from host
  ECONNECTION: '4.4.2', // bad connection
  ESOCKET: '4.4.1',
  ETLS: '4.7.5',
  EPROTOCOL: '4.5.0',
};

/** Classifies an error from nodemailer's SMTP transport. */
export function classifySendError(err: unknown, host: string): ClassifiedError {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SmtpLikeError;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = oneLine(typeof e.message === 'string' ? e.message : String(err));
  if (code === 'EABORT') return { outcome: { kind: 'aborted' }, tryNextHost: false, tlsFailed: false };
  const replyCode = typeof e.responseCode === 'number' ? e.responseCode : 0;
  if (replyCode >= 400 && replyCode < 600 && typeof e.response === 'string') {
    const reply = oneLine(e.response);
    const status = statusOfReply(reply, replyCode);
    // RFC 5321 §4.2.1: 5yz is permanent. 503 says the session was out of step, not that the message was refused.
    if (replyCode >= 500 && replyCode !== 503) {
      return { outcome: { kind: 'failed', status, reason: `The recipient's server refused the message: ${reply}`, reply, host }, tryNextHost: false, tlsFailed: false };
    }
    // RFC 5321 §3.8: 421 means the server is closing the channel: another MX may be in service.
    return { outcome: { kind: 'deferred', status, reason: `The recipient's server asked us to try again later: ${reply}`, reply, host }, tryNextHost: replyCode === 421, tlsFailed: false };
  }
  if (code === 'EENVELOPE') {
    // Refused before any server saw it (an address nodemailer can't put in the envelope).
    return { outcome: { kind: 'failed', status: '5.1.3', reason: `The address can't be used in an SMTP envelope: ${message}`, host }, tryNextHost: false, tlsFailed: false };
  }
  if (code === 'EMESSAGE' && /larger than allowed/i.test(message)) {
    return { outcome: { kind: 'failed', status: '5.3.4', reason: `The message is bigger than the recipient's server accepts: ${message}`, host }, tryNextHost: false, tlsFailed: false };
  }
  const status = connectionStatus[code] ?? '4.4.0';
  return {
    outcome: { kind: 'deferred', status, reason: `Couldn't deliver to ${host}: ${message}`, host },
    tryNextHost: true,
    tlsFailed: code === 'ETLS',
  };
}

export interface RetryPolicy {
  /** Delay after the first failed attempt. */
  readonly baseMs: number;
  /** No delay is longer than this. */
  readonly maxMs: number;
}

/**
 * Exponential backoff: base × 2^(attempts−1), capped, with ±25 % jitter so that messages
 * deferred together (a remote server's outage) don't all come back at the same second.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(delay * (0.75 + random() * 0.5));
}
