import type { Kysely } from 'kysely';

/**
 * The outbound queue's lease: a worker that takes a row sets `locked_until`, so another node
 * (or an admin "retry now") never sends it a second time while it is in flight. Kept apart
 * from `next_attempt_at`, which stays the time of the next try that admins see.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbound_queue').addColumn('locked_until', 'text').execute();
}
