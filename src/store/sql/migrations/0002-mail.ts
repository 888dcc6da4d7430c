import { PostgresAdapter, sql, type Kysely } from 'kysely';

const isPostgres = (db: Kysely<unknown>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The message store: content-addressed blobs, folders with UIDVALIDITY/UIDNEXT/HIGHESTMODSEQ,
 * messages with everything IMAP needs precomputed, a full-text index (FTS5 on SQLite,
 * tsvector on PostgreSQL), recoverable expunges, durable delivery jobs and the outbound queue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const binary = pg ? 'bytea' : 'blob';

  await db.schema.createTable('blobs')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('refcount', 'integer', (c) => c.notNull())
    // Small blobs live in the row (one fsync per group commit); large ones in a file named by the hash.
    .addColumn('data', binary)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('blobs_unreferenced').on('blobs').column('refcount').execute();

  await db.schema.createTable('folders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('special_use', 'text')
    .addColumn('uidvalidity', 'bigint', (c) => c.notNull())
    .addColumn('uidnext', 'bigint', (c) => c.notNull())
    .addColumn('highest_modseq', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('folders_mailbox_name', ['mailbox_id', 'name'])
    .execute();

  await db.schema.createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('folder_id', 'text', (c) => c.notNull().references('folders.id').onDelete('cascade'))
    .addColumn('uid', 'bigint', (c) => c.notNull())
    .addColumn('modseq', 'bigint', (c) => c.notNull())
    .addColumn('blob_hash', 'text', (c) => c.notNull().references('blobs.hash'))
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('internal_date', 'text', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('structure_json', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('from_text', 'text', (c) => c.notNull())
    .addColumn('to_text', 'text', (c) => c.notNull())
    .addColumn('cc_text', 'text', (c) => c.notNull())
    .addColumn('date_sent', 'text')
    .addColumn('message_id', 'text')
    .addColumn('in_reply_to', 'text')
    .addColumn('thread_refs', 'text', (c) => c.notNull())
    .addUniqueConstraint('messages_folder_uid', ['folder_id', 'uid'])
    .execute();
  await db.schema.createIndex('messages_folder_modseq').on('messages').columns(['folder_id', 'modseq']).execute();
  await db.schema.createIndex('messages_blob').on('messages').column('blob_hash').execute();

  if (pg) {
    await sql`ALTER TABLE messages ADD COLUMN search_vector tsvector`.execute(db);
    await sql`CREATE INDEX messages_search ON messages USING gin (search_vector)`.execute(db);
  } else {
    await sql`CREATE VIRTUAL TABLE message_text USING fts5(message_id UNINDEXED, subject, body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  }

  // Expunged messages stay recoverable for a while (Exchange's "recoverable items", made restorable).
  await db.schema.createTable('recoverable_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('folder_name', 'text', (c) => c.notNull())
    .addColumn('blob_hash', 'text', (c) => c.notNull().references('blobs.hash'))
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('internal_date', 'text', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('expunged_at', 'text', (c) => c.notNull())
    .addColumn('expunged_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recoverable_mailbox').on('recoverable_messages').columns(['mailbox_id', 'expunged_at']).execute();

  // Accepted but not yet delivered: the SMTP "250" is sent only once this row is committed.
  await db.schema.createTable('delivery_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('blob_hash', 'text', (c) => c.notNull().references('blobs.hash'))
    .addColumn('mail_from', 'text', (c) => c.notNull())
    .addColumn('recipients_json', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('submitter_id', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('delivery_jobs_due').on('delivery_jobs').column('next_attempt_at').execute();

  await db.schema.createTable('outbound_queue')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('blob_hash', 'text', (c) => c.notNull().references('blobs.hash'))
    .addColumn('mail_from', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbound_queue_due').on('outbound_queue').column('next_attempt_at').execute();

  await db.schema.createTable('mailbox_usage')
    .addColumn('mailbox_id', 'text', (c) => c.primaryKey().references('recipients.id').onDelete('cascade'))
    .addColumn('bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('messages', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('warned', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.createTable('auto_reply_log')
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('sender_key', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('auto_reply_log_pk', ['mailbox_id', 'sender_key'])
    .execute();

  await db.schema.createTable('known_senders')
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('address_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('known_senders_pk', ['mailbox_id', 'address_key'])
    .execute();
}
