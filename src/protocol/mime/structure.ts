// The MIME structure of a raw message, computed once at delivery (RFC 2045, RFC 2046, RFC 3501 §7.4.2).
import { Buffer } from 'node:buffer';
import { parseAddressList } from './addresses.js';
import { parseMessageDate } from './date.js';
import { MIME_TOKEN, decodeEncodedWords, getHeader, getHeaders, getParam, parseContentDisposition, parseContentType, parseHeaderBlock, trimWsp } from './headers.js';
import type { HeaderField } from './headers.js';
import { decodeCharset, decodeTransferEncoding, htmlToText } from './text.js';
import type { BodyPart, EncapsulatedMessage, Envelope, EnvelopeAddress, MessageStructure, SearchableFields } from './types.js';

export { findSection, sectionRange } from './sections.js';
export type { SectionRange } from './sections.js';

/** Multipart and message/rfc822 nesting deeper than this is kept as opaque leaves. */
export const MAX_NESTING_DEPTH = 30;
/** Parts beyond this many in one message are left inside their multipart's epilogue. */
export const MAX_PARTS = 10_000;
/** Characters of decoded body text kept for SEARCH BODY / TEXT. */
export const SEARCHABLE_TEXT_LIMIT = 1_048_576;
/** Characters kept of each decoded header for SEARCH (subject, from, to, cc, bcc). */
export const SEARCHABLE_HEADER_LIMIT = 65_536;

const LF = 0x0a;
const CR = 0x0d;
const HYPHEN = 0x2d;

interface ParseContext {
  raw: Buffer;
  /** Parts created or reserved so far, against MAX_PARTS. */
  parts: number;
  lineIndex?: Uint32Array;
}

function countRange(raw: Buffer, start: number, end: number): number {
  let lines = 0;
  let p = raw.indexOf(LF, start);
  while (p !== -1 && p < end) {
    lines++;
    p = raw.indexOf(LF, p + 1);
  }
  return lines;
}

const LINE_INDEX_STRIDE = 65_536;

/** index[k] = LF octets in raw[0, k * LINE_INDEX_STRIDE): one pass, however deep the nesting. */
function buildLineIndex(raw: Buffer): Uint32Array {
  const index = new Uint32Array(Math.floor(raw.length / LINE_INDEX_STRIDE) + 1);
  let count = 0;
  let k = 1;
  for (let p = raw.indexOf(LF); p !== -1; p = raw.indexOf(LF, p + 1)) {
    while (k < index.length && p >= k * LINE_INDEX_STRIDE) index[k++] = count;
    count++;
  }
  while (k < index.length) index[k++] = count;
  return index;
}

/** Lines (LF octets) in raw[start, end), as Dovecot counts body lines. */
function countLines(ctx: ParseContext, start: number, end: number): number {
  if (end - start <= 4 * LINE_INDEX_STRIDE) return countRange(ctx.raw, start, end);
  // Nested message/rfc822 parts would otherwise recount the same bytes at every level.
  ctx.lineIndex ??= buildLineIndex(ctx.raw);
  const a = Math.ceil(start / LINE_INDEX_STRIDE);
  const b = Math.floor(end / LINE_INDEX_STRIDE);
  return countRange(ctx.raw, start, a * LINE_INDEX_STRIDE) + ctx.lineIndex[b]! - ctx.lineIndex[a]! + countRange(ctx.raw, b * LINE_INDEX_STRIDE, end);
}

function parseLanguage(value: string | null): string[] | null {
  if (value === null) return null;
  const tags = value.replace(/\([^()]*\)/g, ' ').split(',').map(trimWsp).filter((t) => t.length > 0);
  return tags.length === 0 ? null : tags;
}

/** Whether raw[lineStart…] is a delimiter line for `dashBoundary`; returns [afterLine, isClose] or null. */
function delimiterAt(raw: Buffer, lineStart: number, dashBoundary: Buffer, end: number): [number, boolean] | null {
  let p = lineStart + dashBoundary.length;
  if (p > end || raw.compare(dashBoundary, 0, dashBoundary.length, lineStart, p) !== 0) return null;
  const close = p + 1 < end && raw[p] === HYPHEN && raw[p + 1] === HYPHEN;
  if (close) p += 2;
  // RFC 2046 §5.1.1: only transport padding (LWSP) may follow on the line.
  while (p < end && (raw[p] === 0x20 || raw[p] === 0x09)) p++;
  if (p >= end) return [end, close];
  if (raw[p] === LF) return [p + 1, close];
  if (raw[p] === CR) return [p + 1 < end && raw[p + 1] === LF ? p + 2 : p + 1, close];
  return null;
}

/**
 * Body ranges of a multipart's sub-parts (RFC 2046 §5.1.1): the line break before a delimiter
 * belongs to the delimiter; preamble and epilogue are skipped; a missing close delimiter ends the
 * last part at the end of the body.
 */
function splitMultipart(ctx: ParseContext, bodyStart: number, end: number, boundary: string): Array<[number, number]> {
  const { raw } = ctx;
  const dashBoundary = Buffer.from(`--${boundary}`, 'utf8');
  const needle = Buffer.from(`\n--${boundary}`, 'utf8');
  const ranges: Array<[number, number]> = [];
  let partStart = -1;
  let search = bodyStart;
  for (let first = true; ; first = false) {
    let at = bodyStart; // a delimiter may open the body with no line break before it
    if (!first) {
      const idx = raw.indexOf(needle, search);
      if (idx < 0 || idx + needle.length > end) break;
      at = idx + 1;
      search = at;
    }
    const found = delimiterAt(raw, at, dashBoundary, end);
    if (!found) continue;
    const [afterLine, close] = found;
    if (partStart >= 0) {
      ctx.parts++;
      let partEnd = raw[at - 1] === LF ? at - 1 : at;
      if (partEnd > partStart && raw[partEnd - 1] === CR) partEnd--;
      ranges.push([partStart, Math.max(partStart, partEnd)]);
    }
    if (close || ctx.parts >= MAX_PARTS) return ranges;
    partStart = afterLine;
  }
  if (partStart >= 0) {
    ctx.parts++;
    ranges.push([partStart, end]);
  }
  return ranges;
}

// The fields a part or message needs here; the rest of a header is skipped undecoded.
const USED_FIELDS: ReadonlySet<string> = new Set([
  'content-type', 'content-transfer-encoding', 'content-disposition', 'content-id', 'content-description',
  'content-md5', 'content-language', 'content-location', 'date', 'subject', 'from', 'sender', 'reply-to',
  'to', 'cc', 'bcc', 'in-reply-to', 'message-id', 'references',
]);

const IDENTITY_ENCODINGS = new Set(['7BIT', '8BIT', 'BINARY']);

function parsePart(ctx: ParseContext, headerStart: number, end: number, depth: number, defaultType: string): { part: BodyPart; fields: HeaderField[] } {
  const { raw } = ctx;
  const { fields, bodyStart } = parseHeaderBlock(raw, headerStart, end, { only: USED_FIELDS });
  const { type, subtype, params } = parseContentType(getHeader(fields, 'content-type'), defaultType);
  if (type === 'text' && !params.some(([name]) => name === 'charset')) params.push(['charset', 'us-ascii']);
  const cte = getHeader(fields, 'content-transfer-encoding');
  const cteToken = cte === null ? '' : cte.replace(/\([^()]*\)/g, '').trim();
  const disposition = parseContentDisposition(getHeader(fields, 'content-disposition'));
  const dispositionFilename = disposition ? getParam(disposition.params, 'filename') : null;
  const isMessage = type === 'message' && subtype === 'rfc822';
  const part: BodyPart = {
    type,
    subtype,
    params,
    id: getHeader(fields, 'content-id'),
    description: getHeader(fields, 'content-description'),
    encoding: MIME_TOKEN.test(cteToken) ? cteToken.toUpperCase() : '7BIT',
    size: end - bodyStart,
    lines: type === 'text' || isMessage ? countLines(ctx, bodyStart, end) : null,
    md5: getHeader(fields, 'content-md5'),
    disposition,
    language: parseLanguage(getHeader(fields, 'content-language')),
    location: getHeader(fields, 'content-location'),
    filename: dispositionFilename ?? getParam(params, 'name'),
    headerStart,
    bodyStart,
    end,
    children: null,
    message: null,
  };
  if (depth >= MAX_NESTING_DEPTH || ctx.parts >= MAX_PARTS) return { part, fields };
  if (type === 'multipart') {
    // Taken as written: RFC 2047 decoding could alter a boundary that happens to contain "=?".
    const boundary = params.find(([name]) => name === 'boundary')?.[1] ?? getParam(params, 'boundary');
    if (boundary) {
      const ranges = splitMultipart(ctx, bodyStart, end, boundary);
      // RFC 2046 §5.1.5: in a digest, parts are messages unless they say otherwise.
      const childType = subtype === 'digest' ? 'message/rfc822' : 'text/plain';
      if (ranges.length > 0) part.children = ranges.map(([s, e]) => parsePart(ctx, s, e, depth + 1, childType).part);
    }
  } else if (isMessage && IDENTITY_ENCODINGS.has(part.encoding)) {
    part.message = parseEncapsulated(ctx, bodyStart, end, depth + 1);
  }
  return { part, fields };
}

function addresses(fields: readonly HeaderField[], name: string): EnvelopeAddress[] | null {
  const values = getHeaders(fields, name);
  if (values.length === 0) return null;
  const list = values.length === 1 ? parseAddressList(values[0]!) : values.flatMap((v) => parseAddressList(v));
  return list.length === 0 ? null : list;
}

/** RFC 3501 §7.4.2 envelope from a message header. */
export function buildEnvelope(fields: readonly HeaderField[]): Envelope {
  const from = addresses(fields, 'from');
  return {
    date: getHeader(fields, 'date'),
    subject: getHeader(fields, 'subject'),
    from,
    // RFC 3501 §7.4.2: absent or empty Sender and Reply-To take the value of From.
    sender: addresses(fields, 'sender') ?? from,
    replyTo: addresses(fields, 'reply-to') ?? from,
    to: addresses(fields, 'to'),
    cc: addresses(fields, 'cc'),
    bcc: addresses(fields, 'bcc'),
    inReplyTo: getHeader(fields, 'in-reply-to'),
    messageId: getHeader(fields, 'message-id'),
  };
}

function parseEncapsulated(ctx: ParseContext, start: number, end: number, depth: number): EncapsulatedMessage {
  ctx.parts++;
  const { part, fields } = parsePart(ctx, start, end, depth, 'text/plain');
  return { envelope: buildEnvelope(fields), body: part };
}

function msgIds(value: string): string[] {
  return value.match(/<[^<>\s]*>/g) ?? [];
}

/** Text of the text/plain and text/html parts, in order, decoded, up to SEARCHABLE_TEXT_LIMIT characters. */
function collectText(raw: Buffer, root: BodyPart): string {
  const pieces: string[] = [];
  let budget = SEARCHABLE_TEXT_LIMIT;
  const visit = (part: BodyPart): void => {
    if (budget <= 0) return;
    if (part.children) {
      for (const child of part.children) visit(child);
      return;
    }
    if (part.message) {
      visit(part.message.body);
      return;
    }
    if (part.type !== 'text' || (part.subtype !== 'plain' && part.subtype !== 'html')) return;
    // Encoded forms take at most a few octets per character: decode only what the budget can use.
    const take = Math.min(part.end - part.bodyStart, budget * 12 + 1024);
    const bytes = decodeTransferEncoding(raw.subarray(part.bodyStart, part.bodyStart + take), part.encoding);
    let text = decodeCharset(bytes, getParam(part.params, 'charset'));
    text = part.subtype === 'html' ? htmlToText(text) : text.replace(/\r\n?/g, '\n');
    if (text.length > budget) text = text.slice(0, budget);
    if (text.length === 0) return;
    pieces.push(text);
    budget -= text.length + 1;
  };
  visit(root);
  return pieces.join('\n').slice(0, SEARCHABLE_TEXT_LIMIT);
}

function buildSearchable(raw: Buffer, fields: readonly HeaderField[], body: BodyPart): SearchableFields {
  const cap = (value: string): string => (value.length > SEARCHABLE_HEADER_LIMIT ? value.slice(0, SEARCHABLE_HEADER_LIMIT) : value);
  const decoded = (name: string): string => cap(getHeaders(fields, name).map((v) => decodeEncodedWords(cap(v))).join(', '));
  const messageId = getHeader(fields, 'message-id') ?? '';
  const inReplyTo = getHeader(fields, 'in-reply-to') ?? '';
  return {
    subject: cap(decodeEncodedWords(cap(getHeader(fields, 'subject') ?? ''))),
    from: decoded('from'),
    to: decoded('to'),
    cc: decoded('cc'),
    bcc: decoded('bcc'),
    messageId: msgIds(messageId)[0] ?? messageId,
    inReplyTo: msgIds(inReplyTo)[0] ?? inReplyTo,
    references: getHeaders(fields, 'references').flatMap((v) => msgIds(cap(v))),
    date: parseMessageDate(getHeader(fields, 'date'))?.toISOString() ?? null,
    text: collectText(raw, body),
  };
}

/**
 * Parses a raw RFC 5322 message once: envelope, MIME tree with byte offsets, and the decoded
 * fields SEARCH needs. Never throws on malformed input.
 */
export function parseMessageStructure(raw: Buffer): MessageStructure {
  const ctx: ParseContext = { raw, parts: 1 };
  const { part: body, fields } = parsePart(ctx, 0, raw.length, 0, 'text/plain');
  return {
    envelope: buildEnvelope(fields),
    body,
    headerBytes: body.bodyStart,
    size: raw.length,
    searchable: buildSearchable(raw, fields, body),
  };
}
