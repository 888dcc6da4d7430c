import { sql, type Kysely } from 'kysely';
import type { DatabaseEngine } from '../sql/database.js';
import type { Database } from '../sql/schema.js';

type Db = Kysely<Database>;

/**
 * The full-text index, kept once per blob (migration 0006). Every message holding the same blob
 * holds the same bytes, so the text is the same: a message to a 500-member group is indexed
 * once, not 500 times. Searches join messages by blob_hash, so they only ever find messages that
 * exist.
 *
 * The rule for the text rows:
 *  - delivery (appendMessage, MessageBatch) writes the text of a blob if it has none yet, in the
 *    transaction that inserts the message rows, after them;
 *  - the text goes with its blob row: the blobs → blob_text foreign key cascades, so the
 *    collector's DELETE of an unreferenced blob removes its text too (on SQLite a trigger
 *    removes the FTS5 row along);
 *  - expunge drops it earlier: after deleting message rows (and before updating folder rows),
 *    call `releaseBlobText(tx, engine, hashes)`; it removes the text of those blobs that no
 *    message holds any more (recoverable items keep only the blob; recovery indexes it again).
 *
 * SQLite: `blob_text(id INTEGER PRIMARY KEY, blob_hash UNIQUE)` + a contentless FTS5
 * `blob_text_fts(subject, body)` whose rowid is blob_text.id (FTS5 tables cannot carry a unique
 * key themselves; contentless, because the text is in the blob already).
 * PostgreSQL: `blob_text(blob_hash PRIMARY KEY, search_vector tsvector)` with a GIN index.
 */
export interface BlobText {
  readonly hash: string;
  readonly subject: string;
  readonly text: string;
  /** The header block, latin1 (one character per octet), kept for SEARCH HEADER. */
  readonly header?: string | undefined;
}

/** SQLite and PostgreSQL cap bound parameters (32766 / 65535); rows per statement stay well below. */
const chunkRows = 200;

function chunks<T>(items: readonly T[], size = chunkRows): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Indexes the text of each blob that has none yet. Call in the transaction that inserts the message rows, after them. */
export async function indexBlobText(db: Db, engine: DatabaseEngine, items: readonly BlobText[]): Promise<void> {
  const unique = [...new Map(items.map((item) => [item.hash, item])).values()];
  for (const some of chunks(unique)) {
    if (engine === 'sqlite') {
      // RETURNING lists only the rows inserted, i.e. the blobs that had no text: only those are tokenized.
      const keys = await db.insertInto('blob_text').values(some.map((item) => ({ blob_hash: item.hash, header: item.header ?? null })))
        .onConflict((oc) => oc.column('blob_hash').doNothing()).returning(['id', 'blob_hash']).execute();
      if (keys.length === 0) continue;
      const byHash = new Map(some.map((item) => [item.hash, item]));
      const rows = keys.map((key) => sql`(${key.id}, ${byHash.get(key.blob_hash)!.subject}, ${byHash.get(key.blob_hash)!.text})`);
      await sql`INSERT INTO blob_text_fts (rowid, subject, body) VALUES ${sql.join(rows)}`.execute(db);
    } else {
      // Look first, so a large text already indexed is neither sent nor tokenized again.
      const present = await db.selectFrom('blob_text').select('blob_hash').where('blob_hash', 'in', some.map((item) => item.hash)).execute();
      const have = new Set(present.map((row) => row.blob_hash));
      const missing = some.filter((item) => !have.has(item.hash));
      if (missing.length === 0) continue;
      const rows = missing.map((item) => sql`(${item.hash}, to_tsvector('simple', ${item.subject} || ' ' || ${item.text}), ${item.header ?? null})`);
      await sql`INSERT INTO blob_text (blob_hash, search_vector, header) VALUES ${sql.join(rows)} ON CONFLICT (blob_hash) DO NOTHING`.execute(db);
    }
  }
}

/**
 * Drops the text of those blobs no message holds any more. For expunge, in its transaction,
 * after the message rows are deleted and before any folder row is updated (PostgreSQL lock
 * order: blob rows, then folder rows, as delivery takes them). Returns how many blobs lost
 * their text.
 */
export async function releaseBlobText(db: Db, engine: DatabaseEngine, hashes: readonly string[]): Promise<number> {
  let released = 0;
  for (const some of chunks([...new Set(hashes)])) {
    if (engine === 'postgres') {
      // A delivery of one of these blobs holds a KEY SHARE lock on its row until it commits
      // (MessageBatch.write takes it before anything else, in hash order, as here, so the two
      // never deadlock): waiting for it here means the check below sees its message.
      await sql`SELECT 1 FROM blobs WHERE hash IN (${sql.join(some)}) ORDER BY hash FOR UPDATE`.execute(db);
    }
    const deleted = await db.deleteFrom('blob_text').where('blob_hash', 'in', some)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('messages').select('messages.id').whereRef('messages.blob_hash', '=', 'blob_text.blob_hash'))))
      .executeTakeFirst();
    released += Number(deleted.numDeletedRows);
  }
  return released;
}

/** A word or phrase as one FTS5 string (https://sqlite.org/fts5.html §3.1: a string, with quotes doubled). */
const fts5Phrase = (query: string): string => `"${query.replace(/"/g, '""')}"`;

export interface TextMatch { readonly id: string; readonly folderId: string; readonly uid: number; readonly subject: string }

/**
 * Messages whose subject or body text contains the words of `query` (as a phrase on SQLite, as
 * plainto_tsquery on PostgreSQL), optionally within one folder, in folder and UID order.
 */
export async function messagesMatchingText(db: Db, engine: DatabaseEngine, query: string, folderId?: string): Promise<TextMatch[]> {
  const inFolder = folderId === undefined ? sql`` : sql`AND m.folder_id = ${folderId}`;
  const { rows } = engine === 'postgres'
    ? await sql<{ id: string; folder_id: string; uid: number; subject: string }>`SELECT m.id, m.folder_id, m.uid, m.subject FROM blob_text t
        JOIN messages m ON m.blob_hash = t.blob_hash
        WHERE t.search_vector @@ plainto_tsquery('simple', ${query}) ${inFolder} ORDER BY m.folder_id, m.uid`.execute(db)
    : await sql<{ id: string; folder_id: string; uid: number; subject: string }>`SELECT m.id, m.folder_id, m.uid, m.subject FROM blob_text_fts f
        JOIN blob_text t ON t.id = f.rowid JOIN messages m ON m.blob_hash = t.blob_hash
        WHERE blob_text_fts MATCH ${fts5Phrase(query)} ${inFolder} ORDER BY m.folder_id, m.uid`.execute(db);
  return rows.map((r) => ({ id: r.id, folderId: r.folder_id, uid: Number(r.uid), subject: r.subject }));
}
