import type { Kysely } from 'kysely';

/**
 * Recoverable items: the UID a message had before it was expunged (so an administrator can match
 * an item to the audit entry of its deletion), and an index for the hourly purge, which looks
 * across all mailboxes for items past the recovery window.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('recoverable_messages').addColumn('original_uid', 'bigint').execute();
  await db.schema.createIndex('recoverable_expunged_at').on('recoverable_messages').column('expunged_at').execute();
}
