import { sql, type Kysely } from 'kysely';
import type { BlobStore } from '../../store/blob/blob-store.js';
import type { DatabaseEngine } from '../../store/sql/database.js';
import type { OutboundQueueTable } from '../../store/sql/mail-schema.js';
import type { Database } from '../../store/sql/schema.js';
import type { MessageToAccept } from '../accept-queue.js';
import { insertGeneratedJobs } from '../job-writer.js';

type Db = Kysely<Database>;
export type QueueRow = OutboundQueueTable;

/**
 * Takes up to `limit` due rows that nobody is sending and leases them until `leaseUntil`.
 * PostgreSQL: one UPDATE over a `FOR UPDATE SKIP LOCKED` subquery, so nodes sharing the
 * database never take the same row and never wait on each other. SQLite serves one node and
 * serializes writers, so a plain transaction is enough.
 */
export async function claimDue(db: Db, engine: DatabaseEngine, now: Date, leaseUntil: Date, limit: number): Promise<QueueRow[]> {
  const nowIso = now.toISOString();
  const lease = leaseUntil.toISOString();
  if (engine === 'postgres') {
    return db.updateTable('outbound_queue').set({ locked_until: lease })
      .where('id', 'in', dueRows(db, nowIso, limit).forUpdate().skipLocked())
      .returningAll().execute();
  }
  return db.transaction().execute(async (tx) => {
    const ids = (await dueRows(tx, nowIso, limit).execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    await tx.updateTable('outbound_queue').set({ locked_until: lease }).where('id', 'in', ids).execute();
    return tx.selectFrom('outbound_queue').selectAll().where('id', 'in', ids).orderBy('next_attempt_at').execute();
  });
}

function dueRows(db: Db, nowIso: string, limit: number) {
  return db.selectFrom('outbound_queue').select('id')
    .where('next_attempt_at', '<=', nowIso)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
    .orderBy('next_attempt_at').limit(limit);
}

/**
 * When the worker should look again: the earliest time a row becomes claimable, which is its
 * next attempt or, while another worker holds it, the end of that lease. Null for an empty queue.
 */
export async function nextWakeAt(db: Db): Promise<Date | null> {
  const row = await db.selectFrom('outbound_queue')
    .select(sql<string | null>`min(case when locked_until > next_attempt_at then locked_until else next_attempt_at end)`.as('at'))
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/** Leases left by a crashed process. Only for SQLite, where this process is the only node. */
export async function releaseAllLeases(db: Db): Promise<void> {
  await db.updateTable('outbound_queue').set({ locked_until: null }).where('locked_until', 'is not', null).execute();
}

/**
 * Removes a row and releases its blob reference, in the caller's transaction. Returns false
 * when the row was already gone (an admin removed it, or another node finished it), in which
 * case nothing is released: whoever removed it released it.
 */
export async function removeRow(tx: Db, blobs: BlobStore, row: Pick<QueueRow, 'id' | 'blob_hash'>): Promise<boolean> {
  const removed = await tx.deleteFrom('outbound_queue').where('id', '=', row.id).executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) return false;
  await blobs.release(tx, row.blob_hash, 1);
  return true;
}

/** Done with a row: removes it and, for a failure, queues the DSN in the same transaction. */
export async function finishRow(db: Db, blobs: BlobStore, row: QueueRow, report: MessageToAccept | null): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    if (!(await removeRow(tx, blobs, row))) return false;
    if (report) await insertGeneratedJobs(tx, blobs, [report]);
    return true;
  });
}

/** Another try later; the lease ends. */
export async function deferRow(db: Db, row: QueueRow, nextAttemptAt: Date, error: string): Promise<void> {
  await db.updateTable('outbound_queue').set({
    attempts: row.attempts + 1,
    next_attempt_at: nextAttemptAt.toISOString(),
    last_error: error,
    locked_until: null,
  }).where('id', '=', row.id).execute();
}

/** Gives a leased row back untouched (shutdown in the middle of an attempt). */
export async function unlockRow(db: Db, row: QueueRow): Promise<void> {
  await db.updateTable('outbound_queue').set({ locked_until: null }).where('id', '=', row.id).execute();
}

/** The queue, oldest first, with each message's size. */
export async function listQueueRows(db: Db, limit: number): Promise<(QueueRow & { size: number })[]> {
  return db.selectFrom('outbound_queue').innerJoin('blobs', 'blobs.hash', 'outbound_queue.blob_hash')
    .selectAll('outbound_queue').select('blobs.size')
    .orderBy('outbound_queue.created_at').orderBy('outbound_queue.id').limit(limit).execute();
}

export async function findQueueRow(db: Db, id: string): Promise<(QueueRow & { size: number }) | undefined> {
  return db.selectFrom('outbound_queue').innerJoin('blobs', 'blobs.hash', 'outbound_queue.blob_hash')
    .selectAll('outbound_queue').select('blobs.size').where('outbound_queue.id', '=', id).executeTakeFirst();
}

/** Makes a row due now. A row in flight keeps its lease; its attempt's result decides what follows. */
export async function makeDueNow(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('outbound_queue').set({ next_attempt_at: now.toISOString() }).where('id', '=', id).execute();
}
