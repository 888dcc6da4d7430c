// ENVELOPE, BODY and BODYSTRUCTURE in IMAP wire syntax (RFC 3501 §7.4.2, §9; RFC 9051 §7.5.2).
// Output strings are to be written as UTF-8: literal lengths count UTF-8 octets.
import { Buffer } from 'node:buffer';
import type { BodyPart, ContentDisposition, Envelope, EnvelopeAddress, MimeParam } from './types.js';

/** Longer strings go out as literals, keeping response lines short. */
export const QUOTED_STRING_MAX = 1024;

// RFC 3501 §9: QUOTED-CHAR is any TEXT-CHAR (CHAR minus CR and LF) with \ and " escaped.
const QUOTABLE = /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/;

/**
 * An IMAP string: quoted when short 7-bit text, else a literal `{n}\r\n…`. NUL, which no IMAP
 * string may carry (RFC 3501 §4.3), becomes U+FFFD.
 */
export function imapString(value: string): string {
  const s = value.includes('\0') ? value.replace(/\0/g, '\uFFFD') : value;
  if (s.length <= QUOTED_STRING_MAX && QUOTABLE.test(s)) {
    return `"${s.includes('\\') || s.includes('"') ? s.replace(/[\\"]/g, '\\$&') : s}"`;
  }
  return `{${Buffer.byteLength(s, 'utf8')}}\r\n${s}`;
}

/** nstring: NIL for null. */
export function imapNString(value: string | null): string {
  return value === null ? 'NIL' : imapString(value);
}

function addressToImap(a: EnvelopeAddress): string {
  return `(${imapNString(a.name)} ${imapNString(a.adl)} ${imapNString(a.mailbox)} ${imapNString(a.host)})`;
}

function addressListToImap(list: readonly EnvelopeAddress[] | null): string {
  if (list === null || list.length === 0) return 'NIL';
  return `(${list.map(addressToImap).join('')})`;
}

/** RFC 3501 §7.4.2 ENVELOPE: (date subject from sender reply-to to cc bcc in-reply-to message-id). */
export function envelopeToImap(envelope: Envelope): string {
  return `(${[
    imapNString(envelope.date),
    imapNString(envelope.subject),
    addressListToImap(envelope.from),
    addressListToImap(envelope.sender),
    addressListToImap(envelope.replyTo),
    addressListToImap(envelope.to),
    addressListToImap(envelope.cc),
    addressListToImap(envelope.bcc),
    imapNString(envelope.inReplyTo),
    imapNString(envelope.messageId),
  ].join(' ')})`;
}

const EMPTY_ENVELOPE = '(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)';

function paramsToImap(params: readonly MimeParam[]): string {
  if (params.length === 0) return 'NIL';
  return `(${params.map(([name, value]) => `${imapString(name.toUpperCase())} ${imapString(value)}`).join(' ')})`;
}

function dispositionToImap(d: ContentDisposition | null): string {
  return d === null ? 'NIL' : `(${imapString(d.type.toUpperCase())} ${paramsToImap(d.params)})`;
}

function languageToImap(language: readonly string[] | null): string {
  return language === null || language.length === 0 ? 'NIL' : `(${language.map(imapString).join(' ')})`;
}

/** Used where the grammar requires a body that the message does not have (Dovecot does the same). */
function emptyBody(extended: boolean): string {
  return `("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 0 0${extended ? ' NIL NIL NIL NIL' : ''})`;
}

function writeBody(part: BodyPart, extended: boolean, out: string[]): void {
  out.push('(');
  if (part.children && part.children.length > 0) {
    // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
    for (const child of part.children) writeBody(child, extended, out);
    out.push(' ', imapString(part.subtype.toUpperCase()));
    if (extended) {
      out.push(' ', paramsToImap(part.params), ' ', dispositionToImap(part.disposition));
      out.push(' ', languageToImap(part.language), ' ', imapNString(part.location));
    }
    out.push(')');
    return;
  }
  // body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
  out.push(imapString(part.type.toUpperCase()), ' ', imapString(part.subtype.toUpperCase()), ' ');
  out.push(paramsToImap(part.params), ' ', imapNString(part.id), ' ', imapNString(part.description), ' ');
  out.push(imapString(part.encoding.toUpperCase()), ' ', String(part.size));
  if (part.type === 'message' && part.subtype === 'rfc822') {
    // body-type-msg: envelope, the encapsulated body and the line count.
    if (part.message) {
      out.push(' ', envelopeToImap(part.message.envelope), ' ');
      writeBody(part.message.body, extended, out);
    } else {
      out.push(' ', EMPTY_ENVELOPE, ' ', emptyBody(extended));
    }
    out.push(' ', String(part.lines ?? 0));
  } else if (part.type === 'text') {
    out.push(' ', String(part.lines ?? 0));
  }
  if (extended) {
    // body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
    out.push(' ', imapNString(part.md5), ' ', dispositionToImap(part.disposition));
    out.push(' ', languageToImap(part.language), ' ', imapNString(part.location));
  }
  out.push(')');
}

/**
 * The `body` of RFC 3501 §9 for BODYSTRUCTURE (`extended` true: with extension data) or BODY
 * (`extended` false), outer parentheses included. Type, subtype, parameter names, disposition type
 * and encoding are upper-cased; parameter values are as written.
 */
export function bodyStructureToImap(body: BodyPart, extended: boolean): string {
  const out: string[] = [];
  writeBody(body, extended, out);
  return out.join('');
}
