// HEADER keys on fields without a column of their own (BCC, X-…): from the header block kept beside
// the full text (blob-text.ts), or from the blob for older messages; only over the candidates left.
import { decodeEncodedWords, getHeaders, parseHeaderBlock } from '../../../protocol/mime/headers.js';
import type { MessageRow } from '../../../store/mail/message-index.js';
import { storedHeaders } from '../../../store/mail/message-search.js';
import type { Session } from '../session.js';

/** The header is read up to this many octets; a field beyond it is not found. */
const HEADER_WINDOW = 64 * 1024;

/** UIDs among `universe` whose header has `field` containing `value` (case-insensitive; "" = has the field). */
export async function headerValues(
  session: Session, universe: ReadonlyArray<[number, number]>, rows: ReadonlyMap<number, MessageRow>, field: string, value: string,
): Promise<Set<number>> {
  const out = new Set<number>();
  const needle = value.toLowerCase();
  const candidates = universe.map(([, uid]) => rows.get(uid)).filter((row): row is MessageRow => row !== undefined);
  // Most headers are kept beside the full text (blob-text.ts); older blobs are read from the blob.
  const stored = await storedHeaders(session.deps.db, session.selected!.folderId, candidates.map((row) => Number(row.uid)));
  const missing = candidates.filter((row) => (stored.get(Number(row.uid)) ?? null) === null);
  const heads = missing.length === 0 ? new Map<string, Buffer>() : await session.deps.blobs.readHeads(session.deps.db, missing.map((row) => row.blob_hash), HEADER_WINDOW);
  const name = field.toLowerCase();
  for (const row of candidates) {
    const kept = stored.get(Number(row.uid));
    const head = kept ? Buffer.from(kept, 'latin1') : heads.get(row.blob_hash);
    if (!head) continue;
    const data = kept ? head : head.subarray(0, headerEnd(head));
    // A header without the field's name, or without the value (unless encoded words could hide
    // it), cannot match: skip parsing it.
    const lower = (kept ?? data.toString('latin1')).toLowerCase();
    if (!lower.includes(name) || (needle !== '' && !lower.includes(needle) && !lower.includes('=?'))) continue;
    const { fields } = parseHeaderBlock(data, 0, data.length, { only: new Set([field]) });
    const values = getHeaders(fields, field);
    if (values.length === 0) continue;
    if (needle === '' || values.some((v) => decodeEncodedWords(v).toLowerCase().includes(needle))) out.add(Number(row.uid));
  }
  return out;
}

/** Where the header block ends (after its blank line), or the end of what was read. */
function headerEnd(data: Buffer): number {
  const crlf = data.indexOf('\r\n\r\n');
  const lf = data.indexOf('\n\n');
  const ends = [crlf === -1 ? -1 : crlf + 4, lf === -1 ? -1 : lf + 2].filter((n) => n > 0);
  return ends.length === 0 ? data.length : Math.min(...ends);
}
