// HEADER keys on fields without a column of their own (BCC, X-…): read from the message's header
// in the blob. Rare, and only over the candidates the other keys left.
import { decodeEncodedWords, getHeaders, parseHeaderBlock } from '../../../protocol/mime/headers.js';
import type { SearchRow } from '../../../store/mail/message-search.js';
import type { Session } from '../session.js';

/** The header is read up to this many octets; a field beyond it is not found. */
const HEADER_WINDOW = 64 * 1024;

/** UIDs among `universe` whose header has `field` containing `value` (case-insensitive; "" = has the field). */
export async function headerValues(
  session: Session, universe: ReadonlyArray<[number, number]>, rows: ReadonlyMap<number, SearchRow>, field: string, value: string,
): Promise<Set<number>> {
  const out = new Set<number>();
  const needle = value.toLowerCase();
  for (const [, uid] of universe) {
    const row = rows.get(uid);
    if (!row) continue;
    const data = await session.deps.blobs.openRange(session.deps.db, row.blob_hash, 0, HEADER_WINDOW);
    if (!Buffer.isBuffer(data)) {
      data.destroy();
      continue;
    }
    const { fields } = parseHeaderBlock(data, 0, data.length, { only: new Set([field]) });
    const values = getHeaders(fields, field);
    if (values.length === 0) continue;
    if (needle === '' || values.some((v) => decodeEncodedWords(v).toLowerCase().includes(needle))) out.add(uid);
  }
  return out;
}
