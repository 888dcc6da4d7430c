import { escapeXml } from '../../../protocol/webdav/xml.js';
import { caldavUrls, mailServers, type ClientSettings, type MailServer } from './client-settings.js';

const server = (element: 'incomingServer' | 'outgoingServer', settings: ClientSettings, s: MailServer): string => [
  `    <${element} type="${s.protocol}">`,
  `      <hostname>${escapeXml(settings.hostname)}</hostname>`,
  `      <port>${s.port}</port>`,
  `      <socketType>${s.security === 'tls' ? 'SSL' : 'STARTTLS'}</socketType>`,
  '      <authentication>password-cleartext</authentication>',
  '      <username>%EMAILADDRESS%</username>',
  `    </${element}>`,
].join('\n');

/**
 * Thunderbird's autoconfiguration document (clientConfig 1.1, as Thunderbird's ISP database
 * serves it): the IMAP and submission servers, and the CalDAV calendar home.
 */
export function thunderbirdConfig(settings: ClientSettings, domain: string, address: string | null): string {
  const { incoming, outgoing } = mailServers(settings);
  const caldav = caldavUrls(settings, address ?? '%EMAILADDRESS%');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<clientConfig version="1.1">',
    `  <emailProvider id="${escapeXml(domain, true)}">`,
    `    <domain>${escapeXml(domain)}</domain>`,
    `    <displayName>Mailroom (${escapeXml(domain)})</displayName>`,
    '    <displayShortName>Mailroom</displayShortName>',
    ...incoming.map((s) => server('incomingServer', settings, s)),
    ...outgoing.map((s) => server('outgoingServer', settings, s)),
    '  </emailProvider>',
    ...(caldav ? [
      '  <calendar type="caldav">',
      '    <username>%EMAILADDRESS%</username>',
      '    <authentication>http-basic</authentication>',
      `    <serverURL>${escapeXml(`${caldav.base}/dav/calendars/${address ?? '%EMAILADDRESS%'}/`)}</serverURL>`,
      '  </calendar>',
    ] : []),
    '</clientConfig>',
    '',
  ].join('\n');
}
