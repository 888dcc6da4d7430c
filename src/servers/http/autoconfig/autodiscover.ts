import { escapeXml } from '../../../protocol/webdav/xml.js';
import { mailServers, type ClientSettings, type MailServer } from './client-settings.js';

export const requestSchema = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006';
const responseSchema = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
export const outlookSchema = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

const protocol = (settings: ClientSettings, address: string, s: MailServer): string => [
  '      <Protocol>',
  `        <Type>${s.protocol.toUpperCase()}</Type>`,
  `        <Server>${escapeXml(settings.hostname)}</Server>`,
  `        <Port>${s.port}</Port>`,
  `        <LoginName>${escapeXml(address)}</LoginName>`,
  '        <DomainRequired>off</DomainRequired>',
  '        <SPA>off</SPA>',
  // POX autodiscover: SSL=on is TLS from the first byte; Encryption=TLS asks for STARTTLS.
  `        <SSL>${s.security === 'tls' ? 'on' : 'off'}</SSL>`,
  ...(s.security === 'starttls' ? ['        <Encryption>TLS</Encryption>'] : []),
  '        <AuthRequired>on</AuthRequired>',
  '      </Protocol>',
].join('\n');

/** Outlook's plain-old-XML autodiscover answer ([MS-OXDSCLI] §2.2.4): the IMAP and SMTP settings. */
export function autodiscoverResponse(settings: ClientSettings, address: string): string {
  const { incoming, outgoing } = mailServers(settings);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<Autodiscover xmlns="${responseSchema}">`,
    `  <Response xmlns="${outlookSchema}">`,
    '    <Account>',
    '      <AccountType>email</AccountType>',
    '      <Action>settings</Action>',
    ...[...incoming, ...outgoing].map((s) => protocol(settings, address, s)),
    '    </Account>',
    '  </Response>',
    '</Autodiscover>',
    '',
  ].join('\n');
}

/** The error answer for an address this server does not configure ([MS-OXDSCLI] §2.2.4.2.1). */
export function autodiscoverError(code: number, message: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<Autodiscover xmlns="${responseSchema}">`,
    '  <Response>',
    `    <Error Time="${new Date().toISOString().slice(11, 19)}" Id="1">`,
    `      <ErrorCode>${code}</ErrorCode>`,
    `      <Message>${escapeXml(message)}</Message>`,
    '    </Error>',
    '  </Response>',
    '</Autodiscover>',
    '',
  ].join('\n');
}
