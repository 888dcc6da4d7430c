import { escapeXml } from '../../../protocol/webdav/xml.js';
import { caldavUrls, mailServers, stableUuid, type ClientSettings } from './client-settings.js';

type PlistValue = string | number | boolean | readonly PlistValue[] | { readonly [key: string]: PlistValue };

function plist(value: PlistValue, indent: string): string {
  if (typeof value === 'string') return `${indent}<string>${escapeXml(value)}</string>`;
  if (typeof value === 'number') return `${indent}<integer>${value}</integer>`;
  if (typeof value === 'boolean') return `${indent}<${value}/>`;
  if (Array.isArray(value)) return [`${indent}<array>`, ...value.map((v) => plist(v, `${indent}  `)), `${indent}</array>`].join('\n');
  const entries = Object.entries(value as Record<string, PlistValue>);
  return [`${indent}<dict>`, ...entries.flatMap(([k, v]) => [`${indent}  <key>${escapeXml(k)}</key>`, plist(v, `${indent}  `)]), `${indent}</dict>`].join('\n');
}

/**
 * An Apple configuration profile (unsigned .mobileconfig) with the IMAP/SMTP account and the
 * CalDAV account of one address, so an iPhone, iPad or Mac sets both up in one tap. The
 * password is not in it; the device asks for it when the profile is installed.
 */
export function mobileconfig(settings: ClientSettings, address: string): string {
  const { incoming, outgoing } = mailServers(settings);
  const identifier = `mailroom.${settings.hostname}.${address}`;
  const payloads: Record<string, PlistValue>[] = [];
  const imap = incoming[0];
  const smtp = outgoing[0];
  if (imap && smtp) {
    payloads.push({
      EmailAccountDescription: address, EmailAccountName: address, EmailAccountType: 'EmailTypeIMAP', EmailAddress: address,
      IncomingMailServerAuthentication: 'EmailAuthPassword', IncomingMailServerHostName: settings.hostname,
      IncomingMailServerPortNumber: imap.port, IncomingMailServerUseSSL: true, IncomingMailServerUsername: address,
      OutgoingMailServerAuthentication: 'EmailAuthPassword', OutgoingMailServerHostName: settings.hostname,
      OutgoingMailServerPortNumber: smtp.port, OutgoingMailServerUseSSL: true, OutgoingMailServerUsername: address,
      OutgoingPasswordSameAsIncomingPassword: true,
      PayloadDisplayName: `Mail (${address})`, PayloadIdentifier: `${identifier}.mail`, PayloadType: 'com.apple.mail.managed',
      PayloadUUID: stableUuid(identifier, 'mail'), PayloadVersion: 1,
    });
  }
  const caldav = caldavUrls(settings, address);
  if (caldav) {
    payloads.push({
      CalDAVAccountDescription: `Calendar (${address})`, CalDAVHostName: settings.hostname, CalDAVPort: settings.httpPort,
      CalDAVPrincipalURL: caldav.principalPath, CalDAVUseSSL: false, CalDAVUsername: address,
      PayloadDisplayName: `Calendar (${address})`, PayloadIdentifier: `${identifier}.caldav`, PayloadType: 'com.apple.caldav.account',
      PayloadUUID: stableUuid(identifier, 'caldav'), PayloadVersion: 1,
    });
  }
  const profile: Record<string, PlistValue> = {
    PayloadContent: payloads, PayloadDescription: `Mail and calendar for ${address} on Mailroom.`, PayloadDisplayName: `Mailroom: ${address}`,
    PayloadIdentifier: identifier, PayloadRemovalDisallowed: false, PayloadType: 'Configuration', PayloadUUID: stableUuid(identifier), PayloadVersion: 1,
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    plist(profile, ''),
    '</plist>',
    '',
  ].join('\n');
}
