import { PostgresAdapter, sql, type Kysely } from 'kysely';

const isPostgres = (db: Kysely<unknown>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The full-text index moves from one row per message to one row per blob (see
 * store/mail/blob-text.ts): a message to a 500-member group was tokenized 500 times. Existing
 * text is carried over, once per blob.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    // The text goes with its blob: the collector's DELETE of a blob row cascades here.
    await sql`CREATE TABLE blob_text (
      blob_hash text PRIMARY KEY REFERENCES blobs (hash) ON DELETE CASCADE,
      search_vector tsvector NOT NULL
    )`.execute(db);
    await sql`INSERT INTO blob_text (blob_hash, search_vector)
      SELECT DISTINCT ON (blob_hash) blob_hash, search_vector FROM messages WHERE search_vector IS NOT NULL ORDER BY blob_hash`.execute(db);
    await sql`CREATE INDEX blob_text_search ON blob_text USING gin (search_vector)`.execute(db);
    await sql`DROP INDEX IF EXISTS messages_search`.execute(db);
    await sql`ALTER TABLE messages DROP COLUMN search_vector`.execute(db);
    return;
  }
  // FTS5 tables have no unique keys, so a plain table maps blob → FTS rowid (an INTEGER PRIMARY
  // KEY, which VACUUM never renumbers).
  await sql`CREATE TABLE blob_text (
    id INTEGER PRIMARY KEY,
    blob_hash TEXT NOT NULL UNIQUE REFERENCES blobs (hash) ON DELETE CASCADE
  )`.execute(db);
  // Contentless (https://sqlite.org/fts5.html §4.4.3): the index only, not a second copy of every
  // text (the bytes are in the blob; a search needs rowids, not the text). contentless_delete
  // (SQLite 3.43) lets rows go by rowid.
  await sql`CREATE VIRTUAL TABLE blob_text_fts USING fts5(subject, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  // Whatever removes a blob_text row (releaseBlobText, or the cascade from a collected blob) removes its FTS row.
  await sql`CREATE TRIGGER blob_text_gone AFTER DELETE ON blob_text BEGIN DELETE FROM blob_text_fts WHERE rowid = old.id; END`.execute(db);
  await sql`INSERT INTO blob_text (blob_hash)
    SELECT DISTINCT m.blob_hash FROM message_text t JOIN messages m ON m.id = t.message_id`.execute(db);
  // One text per blob; copies of a blob carry the same text, so any of them will do (SQLite's bare columns).
  await sql`INSERT INTO blob_text_fts (rowid, subject, body)
    SELECT k.id, t.subject, t.body FROM message_text t JOIN messages m ON m.id = t.message_id JOIN blob_text k ON k.blob_hash = m.blob_hash
    GROUP BY k.id`.execute(db);
  await sql`DROP TABLE message_text`.execute(db);
}
