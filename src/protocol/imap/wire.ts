// How the server writes strings (RFC 3501 §4.3, §9): an atom where the grammar allows one and the
// text is an atom, a quoted string when short and printable, else a literal whose count is in
// UTF-8 octets. With UTF8=ACCEPT enabled, quoted strings may carry UTF-8 (RFC 6855 §3).
import { Buffer } from 'node:buffer';
import { QUOTED_STRING_MAX } from '../mime/bodystructure.js';

// TEXT-CHAR minus NUL (CR and LF need a literal); 8-bit only when UTF-8 is allowed.
const QUOTABLE_ASCII = /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/;
const QUOTABLE_UTF8 = /^[^\x00\r\n]*$/;
// ASTRING-CHAR = ATOM-CHAR / "]": no ( ) { SP CTL % * " \ and 7-bit only.
const ASTRING_ATOM = /^[^(){ \x00-\x1f\x7f-\uffff%*"\\]+$/;

/** A quoted string, or a literal when the text cannot be quoted. NUL, never allowed, becomes U+FFFD. */
export function stringOut(value: string, utf8 = false): string {
  const s = value.includes('\0') ? value.replace(/\0/g, '\uFFFD') : value;
  if (s.length <= QUOTED_STRING_MAX && (utf8 ? QUOTABLE_UTF8 : QUOTABLE_ASCII).test(s)) {
    return `"${s.includes('\\') || s.includes('"') ? s.replace(/[\\"]/g, '\\$&') : s}"`;
  }
  return `{${Buffer.byteLength(s, 'utf8')}}\r\n${s}`;
}

/** RFC 3501 astring: bare when it is a non-empty atom (and not NIL, to avoid confusion), else a string. */
export function astringOut(value: string, utf8 = false): string {
  return ASTRING_ATOM.test(value) && value.toUpperCase() !== 'NIL' ? value : stringOut(value, utf8);
}

/** RFC 3501 nstring: NIL for null. */
export function nstringOut(value: string | null, utf8 = false): string {
  return value === null ? 'NIL' : stringOut(value, utf8);
}

/** Response text (resp-text): one line, so CR and LF become spaces. */
export function textOut(value: string): string {
  return /[\r\n\0]/.test(value) ? value.replace(/[\r\n\0]/g, ' ') : value;
}
