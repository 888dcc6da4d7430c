// Body text for SEARCH: transfer decoding (RFC 2045 §6), charsets, and HTML reduced to its text.
import { Buffer } from 'node:buffer';
import { decode as decodeCharsetBytes } from 'libmime/lib/charset.js';

const EQUALS = 0x3d;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** RFC 2045 §6.7; malformed `=` sequences are kept literally, as the RFC suggests. */
export function decodeQuotedPrintable(input: Buffer): Buffer {
  const out = Buffer.allocUnsafe(input.length);
  let n = 0;
  let i = 0;
  while (i < input.length) {
    const eq = input.indexOf(EQUALS, i);
    const stop = eq < 0 ? input.length : eq;
    n += input.copy(out, n, i, stop);
    if (eq < 0) break;
    const a = input[eq + 1];
    const b = input[eq + 2];
    if (a === 0x0a) {
      i = eq + 2; // soft line break, bare LF
    } else if (a === 0x0d && b === 0x0a) {
      i = eq + 3; // soft line break
    } else if (a !== undefined && b !== undefined && hexValue(a) >= 0 && hexValue(b) >= 0) {
      out[n++] = hexValue(a) * 16 + hexValue(b);
      i = eq + 3;
    } else {
      // Soft break with trailing whitespace before the line end, or a stray '='.
      let p = eq + 1;
      while (input[p] === 0x20 || input[p] === 0x09) p++;
      if (input[p] === 0x0a) i = p + 1;
      else if (input[p] === 0x0d && input[p + 1] === 0x0a) i = p + 2;
      else {
        out[n++] = EQUALS;
        i = eq + 1;
      }
    }
  }
  return out.subarray(0, n);
}

/** Undoes a Content-Transfer-Encoding; identity encodings and unknown ones return the input. */
export function decodeTransferEncoding(input: Buffer, encoding: string): Buffer {
  switch (encoding.toUpperCase()) {
    case 'BASE64':
      // Node skips the line breaks and stops at garbage instead of throwing.
      return Buffer.from(input.toString('latin1'), 'base64');
    case 'QUOTED-PRINTABLE':
      return decodeQuotedPrintable(input);
    default:
      return input;
  }
}

/** Bytes in a declared charset to text; unknown charsets fall back to UTF-8, never throw. */
export function decodeCharset(bytes: Buffer, charset: string | null): string {
  const name = (charset ?? '').trim().toLowerCase();
  if (name === '' || name === 'utf-8' || name === 'utf8' || name === 'us-ascii' || name === 'ascii') {
    return bytes.toString('utf8');
  }
  try {
    return decodeCharsetBytes(bytes, name);
  } catch {
    return bytes.toString('utf8');
  }
}

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', hellip: '…',
  mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', euro: '€', shy: '',
};

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[body.toLowerCase()] ?? m;
  });
}

// Elements whose content is not text, and the end tag that closes each.
const SKIPPED_CONTENT: Record<string, RegExp> = {
  script: /<\/script\s*>/gi,
  style: /<\/style\s*>/gi,
  head: /<\/head\s*>/gi,
  title: /<\/title\s*>/gi,
};
const BLOCK_TAGS = new Set(['br', 'p', 'div', 'tr', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'blockquote', 'hr', 'td', 'th']);

/**
 * HTML reduced to its text: tags and comments dropped, script/style/head skipped, block tags as
 * line breaks, entities decoded. One forward scan with indexOf: no backtracking regex over the input.
 */
export function htmlToText(html: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out.push(decodeEntities(html.slice(i)));
      break;
    }
    if (lt > i) out.push(decodeEntities(html.slice(i, lt)));
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) break;
    const name = /^<\/?([a-zA-Z][a-zA-Z0-9]{0,15})/.exec(html.slice(lt, lt + 18))?.[1]?.toLowerCase();
    i = gt + 1;
    if (name === undefined) continue;
    if (BLOCK_TAGS.has(name)) out.push('\n');
    const endTag = html[lt + 1] === '/' ? undefined : SKIPPED_CONTENT[name];
    if (endTag) {
      endTag.lastIndex = i;
      const m = endTag.exec(html);
      i = m ? m.index + m[0].length : html.length;
    }
  }
  // A whitespace run becomes one space, or one line break if it held any.
  return out.join('').replace(/[\s\u00a0]{2,}|[\t\r\n\u00a0]/g, (ws) => (ws.includes('\n') ? '\n' : ' ')).trim();
}
