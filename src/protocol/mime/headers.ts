// Header blocks (RFC 5322 §2.2), MIME parameters (RFC 2045 §5.1, RFC 2231) and encoded words (RFC 2047).
import { Buffer, isUtf8 } from 'node:buffer';
import libmime from 'libmime';
import { decodeCharset } from './text.js';
import type { ContentDisposition, MimeParam } from './types.js';

export { parseAddressList } from './addresses.js';

/** [name as written, value unfolded and trimmed, not decoded]. */
export type HeaderField = [name: string, value: string];

export interface HeaderBlock {
  fields: HeaderField[];
  /** First byte after the header block and its blank line; the end of the range if there is none. */
  bodyStart: number;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

/** Header bytes as text: UTF-8 when valid (RFC 6532), else Latin-1 so no byte is lost. */
export function decodeHeaderBytes(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

/** Trims SP and HT only (String#trim also eats Unicode spaces, which are content). */
export function trimWsp(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === SP || s.charCodeAt(a) === HT)) a++;
  while (b > a && (s.charCodeAt(b - 1) === SP || s.charCodeAt(b - 1) === HT)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Offset of the colon of `field-name *WSP ":"` at pos (RFC 5322 §3.6.8, obs-optional §4.5), or -1. */
function fieldNameEnd(raw: Buffer, pos: number, lineEnd: number): number {
  let p = pos;
  // ftext = %d33-57 / %d59-126; a scan bounded by the line, never by a search for ':'.
  while (p < lineEnd) {
    const c = raw[p]!;
    if (c < 33 || c > 126 || c === COLON) break;
    p++;
  }
  if (p === pos) return -1;
  let q = p;
  while (q < lineEnd && (raw[q] === SP || raw[q] === HT)) q++;
  return q < lineEnd && raw[q] === COLON ? q : -1;
}

/** Fields kept by default; a header block of a million lines must not become a million objects. */
export const MAX_HEADER_FIELDS = 10_000;

export interface HeaderBlockOptions {
  /** Lower-case names of the fields to keep; others are skipped without decoding. Default: all. */
  only?: ReadonlySet<string>;
  /** Fields kept at most; later ones are skipped (the block is still scanned to its end). */
  maxFields?: number;
}

/**
 * Splits raw[start, end) into its header fields and body. The header ends at the first empty line
 * (CRLF or bare LF); with no empty line everything is header; if the first line is not a header
 * field, there is no header and the body starts at `start`.
 */
export function parseHeaderBlock(raw: Buffer, start = 0, end = raw.length, options: HeaderBlockOptions = {}): HeaderBlock {
  const fields: HeaderField[] = [];
  const { only, maxFields = MAX_HEADER_FIELDS } = options;
  let fieldStart = -1;
  let fieldColon = -1;
  let fieldEnd = -1;
  const flush = (): void => {
    if (fieldStart < 0) return;
    const name = trimWsp(raw.toString('latin1', fieldStart, fieldColon));
    fieldStart = -1;
    if (fields.length >= maxFields || (only && !only.has(name.toLowerCase()))) return;
    const value = decodeHeaderBytes(raw.subarray(fieldColon + 1, fieldEnd));
    // RFC 5322 §2.2.3: unfolding removes each CRLF that precedes WSP.
    fields.push([name, trimWsp(value.includes('\n') ? value.replace(/\r?\n/g, '') : value)]);
  };
  let pos = start;
  let first = true;
  while (pos < end) {
    const nl = raw.indexOf(LF, pos);
    const lineEnd = nl === -1 || nl >= end ? end : nl;
    const next = lineEnd === end ? end : lineEnd + 1;
    const contentEnd = lineEnd > pos && raw[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (contentEnd === pos) {
      flush();
      return { fields, bodyStart: next };
    }
    const c = raw[pos];
    if (c === SP || c === HT) {
      if (first) return { fields, bodyStart: start };
      if (fieldStart >= 0) fieldEnd = contentEnd;
    } else {
      const colon = fieldNameEnd(raw, pos, contentEnd);
      if (colon < 0) {
        if (first) return { fields, bodyStart: start };
        flush(); // a stray non-header line: skipped, and it ends the field before it
      } else {
        flush();
        fieldStart = pos;
        fieldColon = colon;
        fieldEnd = contentEnd;
      }
    }
    first = false;
    pos = next;
  }
  flush();
  return { fields, bodyStart: end };
}

/** First value of the named field (case-insensitive), or null. */
export function getHeader(fields: readonly HeaderField[], name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [n, v] of fields) if (n.length === wanted.length && n.toLowerCase() === wanted) return v;
  return null;
}

/** Every value of the named field, in order. */
export function getHeaders(fields: readonly HeaderField[], name: string): string[] {
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const [n, v] of fields) if (n.length === wanted.length && n.toLowerCase() === wanted) out.push(v);
  return out;
}

/** RFC 2047 encoded words decoded to Unicode; text without any is returned as is. */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** Skips a comment starting at `(`, with nesting and quoted-pairs (RFC 5322 §3.2.2); returns the index after it. */
export function skipComment(s: string, i: number): number {
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return s.length;
}

function skipCfws(s: string, i: number): number {
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === '(') i = skipComment(s, i);
    else break;
  }
  return i;
}

/** Reads a quoted-string starting at `"`; tolerates a missing closing quote. */
function readQuoted(s: string, i: number): [value: string, next: number] {
  let out = '';
  let from = i + 1;
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') {
      out += s.slice(from, j);
      from = j + 1;
      j++;
    } else if (c === '"') {
      return [out + s.slice(from, j), j + 1];
    }
  }
  return [out + s.slice(from), s.length];
}

export interface ParameterizedValue {
  /** The value before the first `;`, without whitespace and comments, not case-folded. */
  value: string;
  params: MimeParam[];
}

interface RawParam {
  name: string;
  value: string;
  section: number;
  extended: boolean;
}

/**
 * Parses `value *(";" attribute "=" value)` (RFC 2045 §5.1) as in Content-Type and
 * Content-Disposition, merging RFC 2231 continuations. Garbage is skipped, never thrown.
 */
export function parseParameterizedValue(input: string): ParameterizedValue {
  let i = skipCfws(input, 0);
  const valueParts: string[] = [];
  while (i < input.length && input[i] !== ';') {
    const c = input[i]!;
    if (c === '(') i = skipComment(input, i);
    else if (c === '"') {
      const [quoted, next] = readQuoted(input, i);
      valueParts.push(quoted);
      i = next;
    } else {
      let j = i;
      while (j < input.length && !';("'.includes(input[j]!)) j++;
      valueParts.push(input.slice(i, j).replace(/[ \t\r\n]/g, ''));
      i = j;
    }
  }
  const raw: RawParam[] = [];
  while (i < input.length) {
    i = skipCfws(input, i + 1); // past ';'
    let nameEnd = i;
    while (nameEnd < input.length && !'=; \t\r\n("'.includes(input[nameEnd]!)) nameEnd++;
    const attribute = input.slice(i, nameEnd).toLowerCase();
    i = skipCfws(input, nameEnd);
    if (input[i] !== '=' || attribute.length === 0) {
      while (i < input.length && input[i] !== ';') i = input[i] === '"' ? readQuoted(input, i)[1] : i + 1;
      continue;
    }
    i = skipCfws(input, i + 1);
    let paramValue: string;
    if (input[i] === '"') {
      [paramValue, i] = readQuoted(input, i);
    } else {
      // A token; broken mailers also send unquoted values with spaces, kept up to ';' or a comment.
      let j = i;
      while (j < input.length && input[j] !== ';' && input[j] !== '(') j++;
      paramValue = trimWsp(input.slice(i, j).replace(/[\r\n]/g, ''));
      i = j;
    }
    while (i < input.length && input[i] !== ';') i = input[i] === '(' ? skipComment(input, i) : i + 1;
    raw.push(splitAttribute(attribute, paramValue));
  }
  return { value: valueParts.join(''), params: mergeRfc2231(raw) };
}

/** `name`, `name*`, `name*2`, `name*2*` (RFC 2231 §3, §4). */
function splitAttribute(attribute: string, value: string): RawParam {
  let name = attribute;
  const extended = name.length > 1 && name.endsWith('*');
  if (extended) name = name.slice(0, -1);
  let section = -1;
  const star = name.lastIndexOf('*');
  if (star > 0 && star >= name.length - 5 && /^\d+$/.test(name.slice(star + 1))) {
    section = Number(name.slice(star + 1));
    name = name.slice(0, star);
  }
  return { name, value, section, extended };
}

// RFC 2231 §7: attribute-char, what an extended value carries without %-encoding.
const ATTRIBUTE_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

function percentEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += ATTRIBUTE_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Joins `name*0`, `name*1*`… into one parameter. Without any extended segment the result is
 * `name`; with one it is `name*` in charset'language'%XX form (as Dovecot's rfc2231 parser gives).
 * The first occurrence of a name wins.
 */
function mergeRfc2231(raw: RawParam[]): MimeParam[] {
  const segmentsByName = new Map<string, RawParam[]>();
  for (const p of raw) {
    if (p.section < 0 && !p.extended) continue;
    const list = segmentsByName.get(p.name);
    if (list) list.push(p);
    else segmentsByName.set(p.name, [p]);
  }
  const out: MimeParam[] = [];
  const seen = new Set<string>();
  for (const p of raw) {
    if (p.section < 0 && !p.extended) {
      if (!seen.has(p.name)) out.push([p.name, p.value]);
      seen.add(p.name);
      continue;
    }
    const segments = segmentsByName.get(p.name);
    if (!segments) continue; // already merged
    segmentsByName.delete(p.name);
    segments.sort((a, b) => a.section - b.section);
    const unique = segments.filter((q, i) => i === 0 || segments[i - 1]!.section !== q.section);
    if (!unique.some((q) => q.extended)) {
      if (!seen.has(p.name)) out.push([p.name, unique.map((q) => q.value).join('')]);
      seen.add(p.name);
      continue;
    }
    const parts = [unique[0]!.extended ? '' : "''"];
    for (const q of unique) parts.push(q.extended ? q.value : percentEncode(q.value));
    out.push([`${p.name}*`, parts.join('')]);
  }
  return out;
}

function percentDecode(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const hex = b === 0x25 && i + 2 < bytes.length ? bytes.toString('latin1', i + 1, i + 3) : '';
    if (hex.length === 2 && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out[n++] = parseInt(hex, 16);
      i += 2;
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}

/**
 * A parameter's value as Unicode text: `name*` decoded per RFC 2231 §4 (charset'language'%XX),
 * else `name` with any RFC 2047 encoded words decoded (a common non-standard practice). Null if absent.
 */
export function getParam(params: readonly MimeParam[], name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [n, v] of params) {
    if (n !== `${wanted}*`) continue;
    const q1 = v.indexOf("'");
    const q2 = q1 < 0 ? -1 : v.indexOf("'", q1 + 1);
    const charset = q2 < 0 ? 'utf-8' : v.slice(0, q1) || 'utf-8';
    return decodeCharset(percentDecode(q2 < 0 ? v : v.slice(q2 + 1)), charset);
  }
  for (const [n, v] of params) if (n === wanted) return decodeEncodedWords(v);
  return null;
}

// RFC 2045 §5.1 token: CHAR except SPACE, CTLs and tspecials.
export const MIME_TOKEN = /^[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+$/;

export interface ContentType {
  /** Lower-cased. */
  type: string;
  subtype: string;
  params: MimeParam[];
}

/**
 * Content-Type (RFC 2045 §5). An absent header gives `defaultType` (text/plain, or message/rfc822
 * inside multipart/digest); an unreadable one gives text/plain without parameters (§5.2).
 */
export function parseContentType(value: string | null, defaultType = 'text/plain'): ContentType {
  const [defType, defSubtype] = defaultType.split('/') as [string, string];
  if (value === null) return { type: defType, subtype: defSubtype, params: [] };
  const parsed = parseParameterizedValue(value);
  const slash = parsed.value.indexOf('/');
  const type = parsed.value.slice(0, slash).toLowerCase();
  const subtype = parsed.value.slice(slash + 1).toLowerCase();
  // RFC 2045 §5.2: an unreadable Content-Type means the default.
  if (slash < 0 || !MIME_TOKEN.test(type) || !MIME_TOKEN.test(subtype)) return { type: 'text', subtype: 'plain', params: [] };
  return { type, subtype, params: parsed.params };
}

/** Content-Disposition (RFC 2183): lower-cased type and parameters, null if absent or unreadable. */
export function parseContentDisposition(value: string | null): ContentDisposition | null {
  if (value === null) return null;
  const parsed = parseParameterizedValue(value);
  if (!MIME_TOKEN.test(parsed.value)) return null;
  return { type: parsed.value.toLowerCase(), params: parsed.params };
}
