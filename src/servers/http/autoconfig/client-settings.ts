import { createHash } from 'node:crypto';

/** What the autoconfiguration documents advertise: the configured host name and ports (0 = not offered). */
export interface ClientSettings {
  /** MAILROOM_HOSTNAME: the name clients connect to. */
  readonly hostname: string;
  readonly imapPort: number;
  readonly imapsPort: number;
  readonly submissionPort: number;
  readonly httpPort: number;
}

/** One mail server a client may use, as every document describes it. */
export interface MailServer {
  readonly protocol: 'imap' | 'smtp';
  readonly port: number;
  /** "tls": implicit TLS from the first byte (IMAPS); "starttls": upgraded in the session (RFC 3207, RFC 9051 §6.2.1). */
  readonly security: 'tls' | 'starttls';
}

/** The servers on offer, most preferred first: implicit TLS for IMAP (RFC 8314 §3.3), then STARTTLS. */
export function mailServers(settings: ClientSettings): { incoming: MailServer[]; outgoing: MailServer[] } {
  const incoming: MailServer[] = [];
  if (settings.imapsPort !== 0) incoming.push({ protocol: 'imap', port: settings.imapsPort, security: 'tls' });
  if (settings.imapPort !== 0) incoming.push({ protocol: 'imap', port: settings.imapPort, security: 'starttls' });
  const outgoing: MailServer[] = settings.submissionPort !== 0 ? [{ protocol: 'smtp', port: settings.submissionPort, security: 'starttls' }] : [];
  return { incoming, outgoing };
}

/** The CalDAV context path and principal for an address on this server (RFC 6764 §6). */
export function caldavUrls(settings: ClientSettings, address: string): { base: string; principalPath: string } | null {
  if (settings.httpPort === 0) return null;
  return { base: `http://${settings.hostname}:${settings.httpPort}`, principalPath: `/dav/principals/${address}/` };
}

/** A UUID derived from its inputs, so that downloading a profile again replaces the installed one. */
export function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\0')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}
