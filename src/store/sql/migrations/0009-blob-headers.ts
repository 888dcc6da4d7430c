import type { Kysely } from 'kysely';

/**
 * The header block of each blob beside its full text (store/mail/blob-text.ts), so that IMAP
 * SEARCH HEADER on a field without a column of its own (X-…, List-Id) reads a kilobyte per
 * message instead of each message's whole blob. Existing blobs keep NULL and are read from the
 * blob as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('blob_text').addColumn('header', 'text').execute();
}
