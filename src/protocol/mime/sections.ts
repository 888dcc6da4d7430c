// Section numbers and specifiers (RFC 3501 §6.4.5, RFC 9051 §6.4.5) resolved to byte ranges.
import type { BodyPart } from './types.js';

/** A byte range of the raw message: raw.subarray(start, end). */
export interface SectionRange {
  start: number;
  end: number;
}

/** Parses "1.2.3" into [1, 2, 3]; null unless every number is a positive integer. */
function partNumbers(path: string): number[] | null {
  if (path === '') return [];
  const out: number[] = [];
  for (const piece of path.split('.')) {
    if (!/^[1-9][0-9]{0,8}$/.test(piece)) return null;
    out.push(Number(piece));
  }
  return out;
}

/**
 * The part a section number names (RFC 3501 §6.4.5): the parts of a multipart are numbered from 1;
 * a non-multipart message (or encapsulated message) has only part 1, its body; the parts inside a
 * message/rfc822 are numbered as those of the message it carries. `body` is the top-level body.
 */
export function findSection(body: BodyPart, section: string | readonly number[]): BodyPart | null {
  const numbers = typeof section === 'string' ? partNumbers(section) : section;
  if (numbers === null || numbers.length === 0) return null;
  let container = body;
  let isMessageBody = true; // container is the body of a message, so "1" may name it
  for (let i = 0; i < numbers.length; i++) {
    const n = numbers[i]!;
    let next: BodyPart | undefined;
    if (container.children) next = container.children[n - 1];
    else if (isMessageBody && n === 1) next = container;
    if (next === undefined) return null;
    if (i === numbers.length - 1) return next;
    if (next.message) {
      container = next.message.body;
      isMessageBody = true;
    } else if (next.children) {
      container = next;
      isMessageBody = false;
    } else return null;
  }
  return null;
}

/**
 * Byte range of a BODY[section] (RFC 3501 §6.4.5) such as "", "HEADER", "TEXT", "2", "2.MIME",
 * "2.HEADER", "2.TEXT". "HEADER.FIELDS" and "HEADER.FIELDS.NOT" give the header range, which the
 * caller filters. Null when the section does not exist or the specifier does not apply (HEADER and
 * TEXT after a part number need a message/rfc822 part).
 */
export function sectionRange(body: BodyPart, section: string): SectionRange | null {
  const pieces = section.split('.');
  let k = 0;
  while (k < pieces.length && /^[0-9]+$/.test(pieces[k]!)) k++;
  const numbers = partNumbers(pieces.slice(0, k).join('.'));
  const specifier = pieces.slice(k).join('.').toUpperCase();
  if (numbers === null) return null;
  const isHeader = specifier === 'HEADER' || specifier === 'HEADER.FIELDS' || specifier === 'HEADER.FIELDS.NOT';
  if (numbers.length === 0) {
    if (specifier === '') return { start: body.headerStart, end: body.end };
    if (isHeader) return { start: body.headerStart, end: body.bodyStart };
    if (specifier === 'TEXT') return { start: body.bodyStart, end: body.end };
    return null;
  }
  const part = findSection(body, numbers);
  if (part === null) return null;
  if (specifier === '') return { start: part.bodyStart, end: part.end };
  if (specifier === 'MIME') return { start: part.headerStart, end: part.bodyStart };
  if (!part.message) return null;
  const inner = part.message.body;
  if (isHeader) return { start: inner.headerStart, end: inner.bodyStart };
  if (specifier === 'TEXT') return { start: inner.bodyStart, end: inner.end };
  return null;
}
