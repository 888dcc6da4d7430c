import type { Kysely } from 'kysely';
import type { Database } from '../sql/schema.js';

/**
 * Gives back the blob references a mailbox holds — one per message and per recoverable
 * item — before the mailbox is removed (the rows themselves go with the recipient by
 * cascade). Without this the blobs would never be collected. Call in the removing transaction.
 */
export async function releaseMailboxBlobs(db: Kysely<Database>, mailboxId: string): Promise<void> {
  const held = new Map<string, number>();
  const messages = await db.selectFrom('messages').innerJoin('folders', 'folders.id', 'messages.folder_id')
    .select(['messages.blob_hash as hash', (eb) => eb.fn.countAll<number>().as('n')])
    .where('folders.mailbox_id', '=', mailboxId).groupBy('messages.blob_hash').execute();
  const recoverable = await db.selectFrom('recoverable_messages')
    .select(['blob_hash as hash', (eb) => eb.fn.countAll<number>().as('n')])
    .where('mailbox_id', '=', mailboxId).groupBy('blob_hash').execute();
  for (const row of [...messages, ...recoverable]) held.set(row.hash, (held.get(row.hash) ?? 0) + Number(row.n));
  for (const [hash, n] of held) {
    await db.updateTable('blobs').set((eb) => ({ refcount: eb('refcount', '-', n) })).where('hash', '=', hash).execute();
  }
}
