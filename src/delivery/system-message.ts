import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

const encodeHeader = (value: string): string =>
  // RFC 2047 encoded-word for anything beyond printable ASCII.
  /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;

export interface SystemMessageInput {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly from?: string;
  readonly inReplyTo?: string | null;
  readonly references?: readonly string[];
  /** RFC 3834 §5: "auto-generated" for notices, "auto-replied" for replies. */
  readonly autoSubmitted?: 'auto-generated' | 'auto-replied';
}

/** A plain-text message written by the server itself (warnings, automatic replies). */
export function systemMessage(input: SystemMessageInput): Buffer {
  const host = hostname();
  const lines = [
    `From: ${input.from ?? `Mailroom <postmaster@${host}>`}`,
    `To: <${input.to}>`,
    `Subject: ${encodeHeader(input.subject)}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@${host}>`,
    ...(input.inReplyTo ? [`In-Reply-To: ${input.inReplyTo}`] : []),
    ...(input.references && input.references.length > 0 ? [`References: ${input.references.join(' ')}`] : []),
    `Auto-Submitted: ${input.autoSubmitted ?? 'auto-generated'}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    input.text.replace(/\r?\n/g, '\r\n'),
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
