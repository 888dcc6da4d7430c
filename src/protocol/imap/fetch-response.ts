// The items of an untagged FETCH response (RFC 3501 §7.4.2, RFC 3516 §4.3, RFC 7162 §3.1.4).
// ENVELOPE and BODYSTRUCTURE come from the MIME codec; section data goes out as a literal, from
// bytes or from a stream.
import { Buffer } from 'node:buffer';
import { bodyStructureToImap, envelopeToImap } from '../mime/index.js';
import { formatBodySection } from './body-section.js';
import { formatDateTime } from './date-time.js';
import type { ResponseBuilder } from './response-builder.js';
import type { BodyData, FetchResponseItem } from './response-types.js';

function flagList(flags: readonly string[]): string {
  return `(${flags.join(' ')})`;
}

function bodyData(out: ResponseBuilder, data: BodyData, binary: boolean): void {
  if (data === null) out.append('NIL');
  else if (typeof data === 'string') out.literal(Buffer.from(data, 'utf8'), binary);
  else out.literal(data, binary);
}

function origin(value: number | null): string {
  return value === null ? '' : `<${value}>`;
}

function writeItem(out: ResponseBuilder, item: FetchResponseItem): void {
  switch (item.type) {
    case 'UID': out.append(`UID ${item.uid}`); return;
    case 'FLAGS': out.append(`FLAGS ${flagList(item.flags)}`); return;
    case 'INTERNALDATE': out.append(`INTERNALDATE "${formatDateTime(item.date, item.offsetMinutes ?? 0)}"`); return;
    case 'RFC822.SIZE': out.append(`RFC822.SIZE ${item.size}`); return;
    // RFC 7162 §3.1.4.1: the value is parenthesized.
    case 'MODSEQ': out.append(`MODSEQ (${item.modSeq})`); return;
    case 'ENVELOPE':
      out.append(`ENVELOPE ${typeof item.envelope === 'string' ? item.envelope : envelopeToImap(item.envelope)}`);
      return;
    case 'BODYSTRUCTURE':
    case 'BODY':
      out.append(`${item.type} ${typeof item.body === 'string' ? item.body : bodyStructureToImap(item.body, item.type === 'BODYSTRUCTURE')}`);
      return;
    case 'BODY[]':
      out.append(`BODY[${formatBodySection(item.section)}]${origin(item.origin)} `);
      bodyData(out, item.data, false);
      return;
    case 'BINARY[]':
      out.append(`BINARY[${item.part.join('.')}]${origin(item.origin)} `);
      bodyData(out, item.data, true);
      return;
    case 'BINARY.SIZE': out.append(`BINARY.SIZE[${item.part.join('.')}] ${item.size}`); return;
    case 'RFC822':
    case 'RFC822.HEADER':
    case 'RFC822.TEXT':
      out.append(`${item.type} `);
      bodyData(out, item.data, false);
  }
}

/** Writes `<n> FETCH (<items>)` (without the leading "* "). */
export function writeFetch(out: ResponseBuilder, sequence: number, items: readonly FetchResponseItem[]): void {
  out.append(`${sequence} FETCH (`);
  items.forEach((item, i) => {
    if (i > 0) out.append(' ');
    writeItem(out, item);
  });
  out.append(')');
}
