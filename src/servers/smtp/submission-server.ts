import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { DomainError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { AcceptQueue } from '../../delivery/accept-queue.js';
import type { AcceptanceRecords } from '../../delivery/job-writer.js';
import { getAccountState, type Principal } from '../../directory/accounts.js';
import type { CredentialCache } from '../../directory/credential-cache.js';
import { resolveForDelivery } from '../../directory/delivery-lookup.js';
import { getMailboxSettings } from '../../directory/mailbox-settings.js';
import { getRecipientById } from '../../directory/recipients.js';
import { authorizeSender, type SendMode } from '../../directory/sender-authorization.js';
import { formatMailbox, removeHeaderFields } from '../../protocol/mime/header-edit.js';
import { getHeader, getHeaders, parseAddressList, parseHeaderBlock, type HeaderField } from '../../protocol/mime/headers.js';
import { mailboxUsage } from '../../store/mail/message-writer.js';
import type { Database } from '../../store/sql/schema.js';
import type { TlsCredentials } from '../tls/certificate.js';
import { gateAuthentication } from './auth-gate.js';
import { readMessage, receivedHeader } from './read-message.js';
import { smtpReplies } from './smtp-server-adapter.js';
import { acceptableAuthorizationIdentity, authenticationRefusal } from './submission-policy.js';

export interface SubmissionServerDeps {
  readonly db: Kysely<Database>;
  readonly accept: AcceptQueue;
  readonly credentials: CredentialCache;
  readonly logger: Logger;
  readonly hostname: string;
  readonly maxMessageBytes: number;
  readonly tls: TlsCredentials;
}

type Callback = (err?: Error | null) => void;

/** The mailbox a message is sent from, and how the user may use it. */
interface SendingIdentity { readonly mode: SendMode; readonly mailboxId: string; readonly address: string }

/**
 * Message submission (RFC 6409) for the organization's users: STARTTLS, AUTH PLAIN and LOGIN
 * (RFC 4954) before MAIL, sender authorization on MAIL FROM and on the From header (own
 * address, SendAs, SendOnBehalf with Sender:), the prohibit-send quota, and 250 only once the
 * message and its delivery job are committed. Local recipients are delivered by the pipeline,
 * remote ones go to the outbound queue from there.
 */
export function createSubmissionServer(deps: SubmissionServerDeps): SMTPServer {
  const log = deps.logger.child({ listener: 'submission' });
  const principals = new Map<string, Principal>();

  const signedIn = (session: SMTPServerSession): Principal | undefined => (session.user ? principals.get(session.id) : undefined);

  const server = new SMTPServer({
    name: deps.hostname,
    banner: 'Mailroom ESMTP submission',
    size: deps.maxMessageBytes,
    key: deps.tls.key,
    cert: deps.tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    // Whether AUTH may happen without TLS is our rule (loopback only), answered with RFC 4954's code by the gate.
    allowInsecureAuth: true,
    authRequiredMessage: smtpReplies.authenticationRequired().message,
    // RFC 2034: every reply carries an enhanced status code, and EHLO says so.
    hideENHANCEDSTATUSCODES: false,
    logger: false,
    maxClients: 1000,
    // Submission clients authenticate, so the early-talker pause (an MX defence) would only slow
    // every connection down; the client's PTR name is not used either (trace headers carry the IP).
    greetingPauseMs: 0,
    disableReverseLookup: true,

    onAuth(auth, session, callback) {
      const remoteAddress = session.remoteAddress;
      const refusal = authenticationRefusal({ secure: session.secure, remoteAddress });
      if (refusal) return callback(refusal);
      const username = auth.username ?? '';
      const authzid = (auth as { authzid?: string }).authzid;
      if (!acceptableAuthorizationIdentity(authzid, username)) {
        log.info({ session: session.id, ip: remoteAddress, user: username, method: auth.method }, 'authentication refused: authorization identity differs');
        return callback(smtpReplies.authenticationFailed());
      }
      deps.credentials.authenticate(username, auth.password ?? '').then((principal) => {
        principals.set(session.id, principal);
        log.info({ session: session.id, ip: remoteAddress, user: principal.address, method: auth.method, tls: session.secure }, 'authenticated');
        callback(null, { user: principal.id });
      }, (err: unknown) => {
        // A wrong password and a blocked account get the same answer, so neither is revealed (RFC 4954 §6: 535 5.7.8).
        if (err instanceof DomainError) {
          log.info({ session: session.id, ip: remoteAddress, user: username, method: auth.method, reason: err.type }, 'authentication failed');
          return callback(smtpReplies.authenticationFailed());
        }
        log.error({ err, session: session.id }, 'authentication could not be checked');
        callback(smtpReplies.temporaryAuthenticationFailure());
      });
    },

    onMailFrom(address: SMTPServerAddress, session: SMTPServerSession, callback: Callback) {
      const principal = signedIn(session);
      if (!principal) return callback(smtpReplies.authenticationRequired());
      checkEnvelopeSender(deps, principal, address.address).then(() => callback(), (err: Error) => refuse(err, session, callback, { from: address.address, user: principal.address }));
    },

    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: Callback) {
      checkRecipient(deps.db, address.address).then(() => callback(), (err: Error) => refuse(err, session, callback, { rcpt: address.address }));
    },

    onData(stream, session, callback) {
      void (async () => {
        const { raw, tooBig } = await readMessage(stream, deps.maxMessageBytes);
        if (tooBig) throw smtpReplies.messageTooBig(deps.maxMessageBytes);
        const principal = signedIn(session);
        if (!principal) throw smtpReplies.authenticationRequired();
        return acceptSubmission(deps, log, session, principal, raw);
      })().then((jobId) => callback(null, `2.0.0 Ok: queued as ${jobId}`), (err: Error) => refuse(err, session, callback, { stage: 'data' }));
    },

    onClose(session: SMTPServerSession) {
      principals.delete(session.id);
    },
  });

  gateAuthentication(server, (session) => authenticationRefusal({ secure: session.secure, remoteAddress: session.remoteAddress }));

  function refuse(err: Error & { responseCode?: number }, session: SMTPServerSession, callback: Callback, context: Record<string, unknown>): void {
    if (err.responseCode) {
      log.info({ session: session.id, ...context, reply: `${err.responseCode} ${err.message}` }, 'refused');
      callback(err);
      return;
    }
    log.error({ err, session: session.id, ...context }, 'submission failed');
    callback(smtpReplies.temporaryFailure());
  }

  return server;
}

/** MAIL FROM: the user's own address or a mailbox they may send as; and the account must still be allowed to sign in. */
async function checkEnvelopeSender(deps: SubmissionServerDeps, principal: Principal, address: string): Promise<void> {
  const account = await getAccountState(deps.db, principal.id);
  // Blocked since this session authenticated: the next transaction needs a new sign-in, which will fail.
  if (!account || account.signInBlocked) throw smtpReplies.authenticationRequired();
  // RFC 5321 §4.5.5 / RFC 8098 §2.1: notifications (read receipts) go out with a null reverse-path;
  // the From header is still checked at DATA.
  if (address === '') return;
  if (!(await authorizeSender(deps.db, principal.id, address)).allowed) throw smtpReplies.notPermittedSender();
}

/** RCPT: anywhere outside the organization (the user is authenticated); inside it, only addresses that receive mail and have room. */
async function checkRecipient(db: Kysely<Database>, address: string): Promise<void> {
  // One statement, as on the MX listener: domain, address, recipient, quota and usage.
  const resolution = await resolveForDelivery(db, address);
  switch (resolution.kind) {
    case 'remote':
    case 'group':
      return;
    case 'unknown-recipient': throw smtpReplies.unknownRecipient(address);
    case 'not-mail-enabled': throw smtpReplies.notMailEnabled(address);
    case 'mailbox':
      if (resolution.mailbox.usage.bytes >= resolution.mailbox.settings.quota.receiveBytes) throw smtpReplies.mailboxFull();
  }
}

/**
 * The From addresses a message claims (RFC 5322 §3.6.2; group markers skipped). Without a
 * From field the envelope sender stands for it, or else the user. A From field naming no
 * address at all claims something nobody can authorize.
 */
function claimedSenders(fields: readonly HeaderField[], mailFrom: string, principal: Principal): string[] | null {
  const values = getHeaders(fields, 'from');
  if (values.length === 0) return [mailFrom || principal.address];
  const addresses = values.flatMap((v) => parseAddressList(v)).filter((a) => a.mailbox !== null && a.host !== null).map((a) => `${a.mailbox}@${a.host}`);
  return addresses.length > 0 ? addresses : null;
}

/** Every From address must be the user's to send from; the first one is the sending mailbox. */
async function authorizeFrom(deps: SubmissionServerDeps, principal: Principal, addresses: readonly string[]): Promise<SendingIdentity | null> {
  let first: SendingIdentity | null = null;
  for (const address of addresses) {
    const decision = await authorizeSender(deps.db, principal.id, address);
    if (!decision.allowed) return null;
    first ??= { mode: decision.mode, mailboxId: decision.mailbox.id, address: decision.mailbox.primaryAddress };
  }
  return first;
}

async function acceptSubmission(deps: SubmissionServerDeps, log: Logger, session: SMTPServerSession, principal: Principal, raw: Buffer): Promise<string> {
  const { db } = deps;
  const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const recipients = session.envelope.rcptTo.map((r) => r.address);
  const header = parseHeaderBlock(raw);
  const claimed = claimedSenders(header.fields, mailFrom, principal);
  const sending = claimed && await authorizeFrom(deps, principal, claimed);
  if (!sending) {
    log.info({ session: session.id, user: principal.address, from: claimed }, 'From not permitted');
    throw smtpReplies.notPermittedSender();
  }

  const [settings, usage] = await Promise.all([getMailboxSettings(db, sending.mailboxId), mailboxUsage(db, sending.mailboxId)]);
  if (usage.bytes >= settings.quota.sendBytes) throw smtpReplies.sendQuotaExceeded();

  // RFC 6409 §8.1-8.3: what the submission server adds — Sender for on-behalf mail (replacing
  // any the client wrote), and Date and Message-ID when the client left them out.
  let message = raw;
  const added: string[] = [];
  if (sending.mode === 'send-on-behalf') {
    const user = await getRecipientById(db, principal.id);
    message = removeHeaderFields(message, ['sender']);
    added.push(`Sender: ${formatMailbox(user?.displayName ?? principal.displayName, principal.address)}`);
  }
  if (getHeader(header.fields, 'date') === null) added.push(`Date: ${new Date().toUTCString().replace('GMT', '+0000')}`);
  let messageId = getHeader(header.fields, 'message-id');
  if (messageId === null) {
    messageId = `<${randomBytes(12).toString('hex')}@${deps.hostname}>`;
    added.push(`Message-ID: ${messageId}`);
  }
  const id = randomBytes(8).toString('hex');
  const ip = session.remoteAddress.replace(/^::ffff:/, '');
  // RFC 3848: ESMTPSA = authenticated over TLS; ESMTPA = authenticated in clear (loopback only).
  const trace = receivedHeader({ helo: session.hostNameAppearsAs, ip, hostname: deps.hostname, protocol: session.secure ? 'ESMTPSA' : 'ESMTPA', id });
  // A message without any header block gets the blank line that keeps its first line in the body.
  const separator = header.fields.length === 0 && header.bodyStart === 0 && raw.length > 0 ? '\r\n' : '';
  message = Buffer.concat([Buffer.from(trace + added.map((line) => `${line}\r\n`).join('') + separator, 'utf8'), message]);

  const copyWanted = (sending.mode === 'send-as' && settings.sentItems.copySentAs) || (sending.mode === 'send-on-behalf' && settings.sentItems.copySendOnBehalf);
  const records: AcceptanceRecords = {
    knownSenders: { mailboxId: sending.mailboxId, addresses: recipients },
    ...(sending.mode === 'self' ? {} : {
      audit: { actor: principal.address, action: sending.mode === 'send-as' ? 'send.as' : 'send.on-behalf', target: sending.address, after: { messageId, recipients: recipients.length } },
    }),
  };
  const jobId = await deps.accept.accept({
    raw: message,
    mailFrom,
    recipients,
    source: 'submission',
    submitterId: principal.id,
    ...(copyWanted ? { sentCopyMailboxId: sending.mailboxId } : {}),
    records,
  });
  log.info({ session: session.id, job: jobId, user: principal.address, from: sending.address, mode: sending.mode, rcpt: recipients.length, size: message.length, sentCopy: copyWanted }, 'message submitted');
  return jobId;
}
