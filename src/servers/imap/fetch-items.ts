import { Buffer } from 'node:buffer';
import type { Readable } from 'node:stream';
import { bodySectionPath } from '../../protocol/imap/index.js';
import type { BodyData, FetchItem, FetchResponseItem } from '../../protocol/imap/index.js';
import { sectionRange } from '../../protocol/mime/index.js';
import type { BodyPart, Envelope } from '../../protocol/mime/index.js';
import { selectHeaderFields } from '../../protocol/mime/header-edit.js';
import type { MessageColumn, MessageRow } from '../../store/mail/message-index.js';
import { parseFlags } from '../../store/mail/message-index.js';
import { decodePart } from './binary-part.js';
import { flagsAsSeen } from './seen-state.js';
import type { ImapDeps } from './types.js';

/** What the store keeps per message for ENVELOPE, BODYSTRUCTURE and sections (delivery/index-message.ts). */
interface StoredStructure {
  readonly envelope: Envelope;
  readonly body: BodyPart;
  readonly headerBytes: number;
}

/** Which columns a FETCH needs, and whether it reads message content or sets \Seen. */
export interface FetchPlan {
  readonly columns: MessageColumn[];
  /** BODY[...] without PEEK, RFC822 or RFC822.TEXT: sets \Seen (RFC 3501 §6.4.5). */
  readonly setsSeen: boolean;
}

export function planFetch(items: readonly FetchItem[], condstore: boolean): FetchPlan {
  const columns = new Set<MessageColumn>(['uid']);
  let setsSeen = false;
  for (const item of items) {
    switch (item.type) {
      case 'FLAGS': columns.add('flags'); break;
      case 'INTERNALDATE': columns.add('internal_date'); break;
      case 'RFC822.SIZE': columns.add('size'); break;
      case 'MODSEQ': columns.add('modseq'); break;
      case 'ENVELOPE': case 'BODYSTRUCTURE': case 'BODY': columns.add('structure_json'); break;
      case 'RFC822': case 'RFC822.TEXT':
        setsSeen = true;
        columns.add('structure_json').add('blob_hash');
        break;
      case 'RFC822.HEADER': columns.add('structure_json').add('blob_hash'); break;
      case 'BODY[]': case 'BINARY[]': case 'BINARY.SIZE':
        if ('peek' in item && !item.peek) setsSeen = true;
        columns.add('structure_json').add('blob_hash');
        break;
      default: break;
    }
  }
  if (condstore) columns.add('modseq');
  return { columns: [...columns], setsSeen };
}

function partial<T extends { partial: { start: number; length: number } | null }>(item: T, start: number, end: number): { start: number; end: number; origin: number | null } {
  if (!item.partial) return { start, end, origin: null };
  // RFC 3501 §6.4.5: <origin.length>; a start beyond the end gives an empty string.
  const from = Math.min(end, start + item.partial.start);
  return { start: from, end: Math.min(end, from + item.partial.length), origin: item.partial.start };
}

/** A section's octets: in memory when small, streamed from the blob file when large (BlobStore.openRange decides). */
async function content(deps: ImapDeps, hash: string, start: number, end: number): Promise<BodyData> {
  const data = await deps.blobs.openRange(deps.db, hash, start, end);
  if (Buffer.isBuffer(data)) return data;
  return { stream: data as Readable, size: end - start };
}

/**
 * The FETCH response items for one message, in the order asked. Sections come straight from the
 * blob through the offsets stored at delivery: the message is never parsed again.
 */
export async function fetchItems(
  deps: ImapDeps, row: MessageRow, items: readonly FetchItem[], options: { condstore: boolean; seen: ReadonlySet<number> | null; flags?: string[] },
): Promise<FetchResponseItem[]> {
  const out: FetchResponseItem[] = [];
  const uid = Number(row.uid);
  let structure: StoredStructure | null = null;
  const stored = (): StoredStructure => (structure ??= JSON.parse(row.structure_json) as StoredStructure);
  let wroteModseq = false;
  for (const item of items) {
    switch (item.type) {
      case 'UID': out.push({ type: 'UID', uid }); break;
      case 'FLAGS': out.push({ type: 'FLAGS', flags: options.flags ?? flagsAsSeen(parseFlags(row.flags), uid, options.seen) }); break;
      case 'INTERNALDATE': out.push({ type: 'INTERNALDATE', date: new Date(row.internal_date) }); break;
      case 'RFC822.SIZE': out.push({ type: 'RFC822.SIZE', size: Number(row.size) }); break;
      case 'MODSEQ': out.push({ type: 'MODSEQ', modSeq: Number(row.modseq) }); wroteModseq = true; break;
      case 'ENVELOPE': out.push({ type: 'ENVELOPE', envelope: stored().envelope }); break;
      case 'BODYSTRUCTURE': case 'BODY': out.push({ type: item.type, body: stored().body }); break;
      case 'RFC822': out.push({ type: 'RFC822', data: await content(deps, row.blob_hash, 0, stored().body.end) }); break;
      case 'RFC822.HEADER': out.push({ type: 'RFC822.HEADER', data: await content(deps, row.blob_hash, 0, stored().headerBytes) }); break;
      case 'RFC822.TEXT': out.push({ type: 'RFC822.TEXT', data: await content(deps, row.blob_hash, stored().headerBytes, stored().body.end) }); break;
      case 'BODY[]': {
        const range = sectionRange(stored().body, bodySectionPath(item.section));
        // RFC 3501 §6.4.5: a section that does not exist is returned empty.
        if (!range) { out.push({ type: 'BODY[]', section: item.section, origin: item.partial ? item.partial.start : null, data: '' }); break; }
        const { specifier, fields } = item.section;
        if (specifier === 'HEADER.FIELDS' || specifier === 'HEADER.FIELDS.NOT') {
          const header = await deps.blobs.openRange(deps.db, row.blob_hash, range.start, range.end);
          let selected = selectHeaderFields(header as Buffer, fields, specifier === 'HEADER.FIELDS.NOT');
          let origin: number | null = null;
          if (item.partial) {
            origin = item.partial.start;
            selected = selected.subarray(Math.min(selected.length, item.partial.start), Math.min(selected.length, item.partial.start + item.partial.length));
          }
          out.push({ type: 'BODY[]', section: item.section, origin, data: selected });
          break;
        }
        const span = partial(item, range.start, range.end);
        out.push({ type: 'BODY[]', section: item.section, origin: span.origin, data: await content(deps, row.blob_hash, span.start, span.end) });
        break;
      }
      case 'BINARY[]': case 'BINARY.SIZE': {
        const decoded = await decodePart(deps, row.blob_hash, stored().body, item.part);
        if (decoded === null) {
          // RFC 3516 §4.2: a part in an encoding the server does not know.
          throw new UnknownTransferEncoding();
        }
        if (item.type === 'BINARY.SIZE') { out.push({ type: 'BINARY.SIZE', part: item.part, size: decoded.length }); break; }
        const span = item.partial ? partial(item, 0, decoded.length) : { start: 0, end: decoded.length, origin: null };
        out.push({ type: 'BINARY[]', part: item.part, origin: span.origin, data: decoded.subarray(span.start, span.end) });
        break;
      }
    }
  }
  // RFC 7162 §3.1.4: once CONDSTORE is on, every FETCH carries MODSEQ.
  if (options.condstore && !wroteModseq) out.push({ type: 'MODSEQ', modSeq: Number(row.modseq) });
  return out;
}

export class UnknownTransferEncoding extends Error {
  constructor() {
    super('The part uses a content transfer encoding the server cannot decode');
  }
}
