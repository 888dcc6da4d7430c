import { sql, type Kysely } from 'kysely';
import type { Database } from '../sql/schema.js';

type Db = Kysely<Database>;

/**
 * The reads SEARCH makes beyond the message rows (message-index.ts reads those for FETCH, SEARCH,
 * SORT and THREAD alike): the full-text index by words, and the header blocks kept beside it.
 */

/** UIDs per `IN (…)` statement: far below both engines' bound-parameter limits. */
const UIDS_PER_STATEMENT = 500;

/** The words of a search string as the full-text tokenizers split them (letters and digits). */
export const searchWords = (text: string): string[] => text.match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * UIDs of a folder whose indexed text holds the words of `text` in a row, the last one possibly
 * cut short ("quarterly rep" finds "Quarterly report"): candidates for IMAP's substring match
 * (RFC 3501 §6.4.4). `subjectOnly` looks in the subject column alone. Uses the per-blob index of
 * blob-text.ts: FTS5 on SQLite (https://sqlite.org/fts5.html §3.3 prefix queries, §3.6 column
 * filters), a tsvector with `:*` on PostgreSQL.
 */
export async function uidsMatchingWords(db: Db, engine: 'sqlite' | 'postgres', text: string, folderId: string, subjectOnly: boolean): Promise<Array<{ uid: number; subject: string }>> {
  const words = searchWords(text);
  if (words.length === 0) return [];
  if (engine === 'postgres') {
    // Lexemes of the 'simple' configuration are lower-cased words; <-> keeps them in order.
    const query = words.map((w, i) => `'${w.toLowerCase()}'${i === words.length - 1 ? ':*' : ''}`).join(' <-> ');
    const { rows } = await sql<{ uid: number; subject: string }>`SELECT m.uid, m.subject FROM blob_text t
      JOIN messages m ON m.blob_hash = t.blob_hash
      WHERE t.search_vector @@ to_tsquery('simple', ${query}) AND m.folder_id = ${folderId} ORDER BY m.uid`.execute(db);
    return rows.map((r) => ({ uid: Number(r.uid), subject: r.subject }));
  }
  const phrase = `${subjectOnly ? 'subject : ' : ''}"${words.join(' ')}" *`;
  // CROSS JOIN fixes the order (https://sqlite.org/optoverview.html §7.3): the index first, never a MATCH per message of the folder.
  const { rows } = await sql<{ uid: number; subject: string }>`SELECT m.uid, m.subject FROM blob_text_fts f
    CROSS JOIN blob_text t ON t.id = f.rowid CROSS JOIN messages m ON m.blob_hash = t.blob_hash
    WHERE blob_text_fts MATCH ${phrase} AND m.folder_id = ${folderId} ORDER BY m.uid`.execute(db);
  return rows.map((r) => ({ uid: Number(r.uid), subject: r.subject }));
}

/**
 * The stored header blocks (blob-text.ts, latin1) of some messages of a folder, by UID; null where
 * the blob predates migration 0009 or its header was too large to keep (read it from the blob).
 */
export async function storedHeaders(db: Db, folderId: string, uids: readonly number[]): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  if (uids.length === 0) return out;
  const first = uids[0]!;
  const last = uids[uids.length - 1]!;
  if (last - first + 1 <= uids.length * 4) {
    // Dense (most of the folder): one range scan; the caller looks up only the UIDs it wants.
    const rows = await db.selectFrom('messages').leftJoin('blob_text', 'blob_text.blob_hash', 'messages.blob_hash')
      .select(['messages.uid', 'blob_text.header']).where('messages.folder_id', '=', folderId)
      .where('messages.uid', '>=', first).where('messages.uid', '<=', last).execute();
    for (const row of rows) out.set(Number(row.uid), row.header ?? null);
    return out;
  }
  for (let i = 0; i < uids.length; i += UIDS_PER_STATEMENT) {
    const rows = await db.selectFrom('messages').leftJoin('blob_text', 'blob_text.blob_hash', 'messages.blob_hash')
      .select(['messages.uid', 'blob_text.header']).where('messages.folder_id', '=', folderId)
      .where('messages.uid', 'in', uids.slice(i, i + UIDS_PER_STATEMENT)).execute();
    for (const row of rows) out.set(Number(row.uid), row.header ?? null);
  }
  return out;
}
