// LOGIN (RFC 3501 §6.2.3), AUTHENTICATE PLAIN (RFC 3501 §6.2.2, RFC 4616, RFC 4959 SASL-IR) and
// STARTTLS (RFC 3501 §6.2.1), with delegated login to a shared mailbox.
import { AccountLocked, Unauthenticated } from '../../../core/errors.js';
import { mailboxAccessLevel } from '../../../directory/grants.js';
import { findRecipient, isMailboxKind } from '../../../directory/recipients.js';
import type { AuthenticateCommand, LoginCommand, NoArgumentCommand } from '../../../protocol/imap/index.js';
import { decodeSaslResponse } from '../../../protocol/imap/index.js';
import type { Session } from '../session.js';
import type { CommandHandler, CommandResult } from '../types.js';
import { bad, no, ok } from '../types.js';

/**
 * Signs in `authcid` with `password`. With an authorization identity (the shared address after
 * a backslash in LOGIN, or SASL's authzid) the session opens that shared mailbox as its personal
 * namespace, if the user may open it: the way a phone adds a shared mailbox as its own account.
 */
export async function signIn(session: Session, authcid: string, password: string, authzid: string | null): Promise<CommandResult> {
  if (!session.mayAuthenticate) return no('Use STARTTLS first', { code: 'PRIVACYREQUIRED' });
  let principal;
  try {
    principal = await session.deps.credentials.authenticate(authcid, password);
  } catch (error) {
    if (error instanceof Unauthenticated || error instanceof AccountLocked) {
      session.log.info({ user: authcid.slice(0, 200) }, 'IMAP sign-in failed');
      // RFC 5530 §3: one answer for a wrong password, an unknown user and a blocked account.
      return no('Invalid credentials', { code: 'AUTHENTICATIONFAILED' });
    }
    throw error;
  }
  let home = { id: principal.id, address: principal.address, delegated: false };
  if (authzid !== null && authzid.trim() !== '' && authzid.trim().toLowerCase() !== principal.address.toLowerCase()) {
    const mailbox = await findRecipient(session.deps.db, authzid.trim());
    const level = mailbox && isMailboxKind(mailbox.kind) ? await mailboxAccessLevel(session.deps.db, principal.id, mailbox.id) : null;
    if (!mailbox || level === null) {
      session.log.info({ user: principal.address, mailbox: authzid.slice(0, 200) }, 'IMAP delegated sign-in refused');
      return no(`${principal.address} may not open ${authzid.trim().slice(0, 200)}`, { code: 'AUTHORIZATIONFAILED' });
    }
    home = { id: mailbox.id, address: mailbox.primaryAddress, delegated: true };
  }
  session.principal = principal;
  session.home = home;
  session.state = 'authenticated';
  session.log.info({ user: principal.address, mailbox: home.address }, 'IMAP signed in');
  // RFC 3501 §6.2.3 / RFC 9051 §7.2.2: the capabilities change after sign-in, so send them.
  return ok(`${home.delegated ? `${principal.address} signed in to ${home.address}` : 'LOGIN completed'}`, { code: 'CAPABILITY', capabilities: session.capabilities() });
}

export const login: CommandHandler<LoginCommand> = {
  states: ['not-authenticated'],
  async run(session, command) {
    // "alice@contoso.com\info@contoso.com": Alice, opening the shared mailbox info@.
    const slash = command.username.indexOf('\\');
    const authcid = slash === -1 ? command.username : command.username.slice(0, slash);
    const authzid = slash === -1 ? null : command.username.slice(slash + 1);
    return signIn(session, authcid, command.password, authzid);
  },
};

/** RFC 4616: authzid NUL authcid NUL password. */
function parsePlain(message: Buffer): { authzid: string; authcid: string; password: string } | null {
  const parts = message.toString('utf8').split('\u0000');
  if (parts.length !== 3 || parts[1] === '' || parts[2] === '') return null;
  return { authzid: parts[0]!, authcid: parts[1]!, password: parts[2]! };
}

export const authenticate: CommandHandler<AuthenticateCommand> = {
  states: ['not-authenticated'],
  async run(session, command) {
    try {
      if (command.mechanism !== 'PLAIN') return no(`Unsupported mechanism ${command.mechanism}; use PLAIN`);
      if (!session.mayAuthenticate) return no('Use STARTTLS first', { code: 'PRIVACYREQUIRED' });
      let response = command.initialResponse;
      if (response === null) {
        // RFC 3501 §6.2.2: an empty challenge, then one line from the client.
        await session.send({ type: 'continuation', text: '' });
        const line = await session.readLine();
        const decoded = decodeSaslResponse(line);
        if (decoded === 'cancel') return bad('AUTHENTICATE cancelled');
        if (decoded === null) return bad('Invalid base64 in the SASL response');
        response = decoded;
      }
      const plain = parsePlain(response);
      if (!plain) return bad('Malformed PLAIN response (RFC 4616)');
      return await signIn(session, plain.authcid, plain.password, plain.authzid === '' ? null : plain.authzid);
    } finally {
      // The reader paused after AUTHENTICATE; commands follow again.
      session.feed(session.connection.reader.resume());
    }
  },
};

export const starttls: CommandHandler<NoArgumentCommand<'STARTTLS'>> = {
  states: ['not-authenticated'],
  async run(session) {
    const tls = session.deps.tls;
    if (!tls || session.connection.isSecure) {
      session.feed(session.connection.reader.resume());
      return no(tls ? 'TLS is already active' : 'TLS is not configured');
    }
    // RFC 2595 §3.1: anything the client sent after STARTTLS in plain text is discarded.
    session.afterCommand = async () => {
      session.connection.reader.discardHeld();
      await session.connection.startTls({ key: tls.key, cert: tls.cert });
      session.feed(session.connection.reader.resume());
    };
    return ok('Begin TLS negotiation now');
  },
};
