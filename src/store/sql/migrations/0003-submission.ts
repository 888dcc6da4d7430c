import type { Kysely } from 'kysely';

/**
 * Submission: a job sent as (or on behalf of) another mailbox may owe that mailbox a copy in its
 * Sent Items, stored by the delivery worker in the same transaction as the delivery.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('delivery_jobs').addColumn('sent_copy_mailbox_id', 'text').execute();
}
