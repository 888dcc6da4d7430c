import { BlockList, isIP } from 'node:net';
import { smtpReplies, type SmtpReply } from './smtp-server-adapter.js';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** True for 127.0.0.0/8 and ::1, also written as IPv4-mapped IPv6 (::ffff:127.0.0.1). */
export function isLoopback(address: string): boolean {
  const ip = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const family = isIP(ip);
  return family !== 0 && loopback.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * RFC 4954 §4: plaintext password mechanisms only after STARTTLS "or some other mechanism that
 * protects the session from password snooping"; otherwise 538 5.7.11 (§6). Loopback is that
 * other mechanism: the bytes never leave the machine (a local webmail, a script on the server).
 * Returns the refusal, or null when AUTH may go on.
 */
export function authenticationRefusal(connection: { readonly secure: boolean; readonly remoteAddress: string }): SmtpReply | null {
  if (connection.secure || isLoopback(connection.remoteAddress)) return null;
  return smtpReplies.encryptionRequired();
}

/**
 * RFC 4616 §2: an authorization identity other than the authentication identity asks to act
 * as someone else. Submission has no such thing (sending as a mailbox is decided per message,
 * from the grants), so it is refused like a wrong password rather than silently ignored.
 */
export function acceptableAuthorizationIdentity(authzid: string | undefined, username: string): boolean {
  return !authzid || authzid.trim().toLowerCase() === username.trim().toLowerCase();
}
