// Mailbox names on the wire: modified UTF-7 (RFC 3501 §5.1.3) unless the client has enabled
// UTF8=ACCEPT, when they are UTF-8 (RFC 6855 §3). Internally names are always Unicode strings.
import { Buffer } from 'node:buffer';

// RFC 3501 §5.1.3: modified BASE64 uses "," in place of "/" and no padding.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i] as const));

/** Encodes a Unicode mailbox name in modified UTF-7. */
export function encodeModifiedUtf7(name: string): string {
  let out = '';
  let pending = '';
  const flush = (): void => {
    if (pending === '') return;
    const utf16 = Buffer.from(pending, 'utf16le').swap16();
    let bits = 0;
    let value = 0;
    let encoded = '';
    for (const byte of utf16) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 6) {
        bits -= 6;
        encoded += B64[(value >> bits) & 0x3f];
      }
    }
    if (bits > 0) encoded += B64[(value << (6 - bits)) & 0x3f];
    out += `&${encoded}-`;
    pending = '';
  };
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) {
      flush();
      out += ch === '&' ? '&-' : ch;
    } else {
      pending += ch;
    }
  }
  flush();
  return out;
}

/**
 * Decodes modified UTF-7; null when the text is not valid modified UTF-7: a character outside
 * printable ASCII, an unterminated or malformed shift, non-zero padding bits, a broken surrogate
 * pair, or a shift that encodes printable ASCII (which must represent itself, RFC 3501 §5.1.3).
 */
export function decodeModifiedUtf7(text: string): string | null {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return null;
    if (c !== 0x26) {
      out += text[i];
      i++;
      continue;
    }
    const end = text.indexOf('-', i + 1);
    if (end === -1) return null;
    if (end === i + 1) {
      out += '&';
      i = end + 1;
      continue;
    }
    const decoded = decodeShift(text.slice(i + 1, end));
    if (decoded === null) return null;
    out += decoded;
    i = end + 1;
  }
  return out;
}

function decodeShift(encoded: string): string | null {
  const bytes: number[] = [];
  let value = 0;
  let bits = 0;
  for (const ch of encoded) {
    const v = B64_VALUE.get(ch);
    if (v === undefined) return null;
    value = ((value << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  if (bits >= 6 || (value & ((1 << bits) - 1)) !== 0 || bytes.length % 2 !== 0) return null;
  const units: number[] = [];
  for (let k = 0; k < bytes.length; k += 2) units.push((bytes[k]! << 8) | bytes[k + 1]!);
  for (let k = 0; k < units.length; k++) {
    const u = units[k]!;
    if (u >= 0x20 && u <= 0x7e) return null;
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = units[k + 1];
      if (next === undefined || next < 0xdc00 || next > 0xdfff) return null;
      k++;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      return null;
    }
  }
  return String.fromCharCode(...units);
}

/**
 * RFC 6855 §3: a mailbox name must not contain control characters (U+0000–U+001F, U+007F–U+009F)
 * or the line and paragraph separators U+2028/U+2029. Applied to decoded names in both modes.
 */
export function isValidMailboxName(name: string): boolean {
  // In a /u pattern a surrogate range matches only unpaired surrogates.
  return !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/u.test(name);
}

/** RFC 3501 §5.1: INBOX is case-insensitive; any spelling of it becomes "INBOX". */
export function normalizeInbox(name: string): string {
  return name.length === 5 && name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
}

/**
 * A mailbox name as received: decoded from modified UTF-7, or taken as UTF-8 once UTF8=ACCEPT is
 * enabled (RFC 6855 §3), INBOX normalized. Null when invalid.
 */
export function decodeMailboxName(wire: string, utf8: boolean): string | null {
  const name = utf8 ? wire : decodeModifiedUtf7(wire);
  if (name === null || !isValidMailboxName(name)) return null;
  return normalizeInbox(name);
}

/** A mailbox name as sent: modified UTF-7, or UTF-8 as is once UTF8=ACCEPT is enabled. */
export function encodeMailboxName(name: string, utf8: boolean): string {
  return utf8 ? name : encodeModifiedUtf7(name);
}
