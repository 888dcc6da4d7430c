import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '../../core/logger.js';
import type { AcceptQueue } from '../../delivery/accept-queue.js';
import { cachingResolver, evaluateAuthentication } from '../../delivery/message-authentication.js';
import { reverseSrsAddress } from '../../delivery/srs-address.js';
import { resolveForDelivery } from '../../directory/delivery-lookup.js';
import type { Database } from '../../store/sql/schema.js';
import { readMessage, receivedHeader } from './read-message.js';
import { smtpReplies } from './smtp-server-adapter.js';

// The Received id only has to be unique, not secret: a random prefix per process and a counter
// (randomBytes per message was a synchronous getrandom call, ~1% of the CPU profile).
const tracePrefix = randomBytes(4).toString('hex');
let traceCounter = 0;
const traceId = (): string => `${tracePrefix}${(traceCounter++).toString(16).padStart(8, '0')}`;

export interface MxServerDeps {
  readonly db: Kysely<Database>;
  readonly accept: AcceptQueue;
  readonly logger: Logger;
  readonly hostname: string;
  readonly maxMessageBytes: number;
  readonly dmarcReject: boolean;
  /** Name servers for SPF, DKIM and DMARC lookups ("host" or "host:port"); empty: the system's. */
  readonly dnsServers?: readonly string[];
  /** Milliseconds to wait before the greeting (catches clients that talk too soon); 0 greets at once. */
  readonly greetingPauseMs: number;
  readonly tls?: { key: Buffer; cert: Buffer } | undefined;
}

/**
 * The MX listener: accepts mail for the organization's addresses only (no open relay), and
 * answers 250 only after the message and its delivery job are durably committed.
 */
export function createMxServer(deps: MxServerDeps): SMTPServer {
  const resolver = cachingResolver(60_000, deps.dnsServers ?? []);
  const log = deps.logger.child({ listener: 'smtp' });
  return new SMTPServer({
    name: deps.hostname,
    banner: 'Mailroom ESMTP',
    size: deps.maxMessageBytes,
    // RFC 2034: advertise ENHANCEDSTATUSCODES and prefix every reply, so smtp-server's own refusals carry
    // theirs too (552 5.3.4 for a MAIL FROM SIZE= over the limit; without this it sent a bare 552).
    hideENHANCEDSTATUSCODES: false,
    authOptional: true,
    disabledCommands: deps.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(deps.tls ? { key: deps.tls.key, cert: deps.tls.cert } : {}),
    logger: false,
    maxClients: 1000,
    // The client's PTR name is not used (trace headers carry the IP literal), and a lookup
    // before the greeting costs every connection a DNS round trip.
    disableReverseLookup: true,
    greetingPauseMs: deps.greetingPauseMs,

    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      checkRecipient(deps, address.address).then(() => callback(), (err: Error) => {
        log.info({ session: session.id, rcpt: address.address, reply: err.message }, 'recipient refused');
        callback(err);
      });
    },

    onData(stream, session, callback) {
      void (async () => {
        const { raw, tooBig } = await readMessage(stream, deps.maxMessageBytes);
        if (tooBig) throw smtpReplies.messageTooBig(deps.maxMessageBytes);
        const id = traceId();
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const ip = session.remoteAddress.replace(/^::ffff:/, '');
        const verdict = await evaluateAuthentication({ raw, ip, helo: session.hostNameAppearsAs, mailFrom, hostname: deps.hostname }, resolver);
        if (deps.dmarcReject && verdict.dmarc === 'fail' && verdict.dmarcPolicy === 'reject') {
          throw smtpReplies.dmarcRejected();
        }
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const trace = receivedHeader({ helo: session.hostNameAppearsAs, ip, hostname: deps.hostname, protocol: session.secure ? 'ESMTPS' : 'ESMTP', id, ...(recipients.length === 1 ? { recipient: recipients[0]! } : {}) });
        const message = Buffer.concat([Buffer.from(trace + verdict.headers, 'utf8'), raw]);
        const jobId = await deps.accept.accept({ raw: message, mailFrom, recipients, source: 'mx' });
        log.info({ session: session.id, job: jobId, from: mailFrom, rcpt: recipients.length, size: message.length }, 'message accepted');
        return jobId;
      })().then((jobId) => callback(null, `2.0.0 Ok: queued as ${jobId}`), (err: Error & { responseCode?: number }) => {
        if (!err.responseCode) log.error({ err, session: session.id }, 'accepting a message failed');
        callback(err.responseCode ? err : smtpReplies.temporaryFailure());
      });
    },
  });
}

/** RCPT: one statement answers it (domain, address, recipient, its receive quota and usage). */
async function checkRecipient(deps: MxServerDeps, address: string): Promise<void> {
  const resolution = await resolveForDelivery(deps.db, address);
  switch (resolution.kind) {
    case 'remote': throw smtpReplies.relayDenied(address);
    case 'unknown-recipient':
      // A valid SRS0 address of ours is where bounces of mail we forwarded come back.
      if (await reverseSrsAddress(deps.db, address)) return;
      throw smtpReplies.unknownRecipient(address);
    case 'not-mail-enabled': throw smtpReplies.notMailEnabled(address);
    case 'group': return;
    case 'mailbox':
      if (resolution.mailbox.usage.bytes >= resolution.mailbox.settings.quota.receiveBytes) throw smtpReplies.mailboxFull();
  }
}
