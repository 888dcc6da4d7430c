import { NotFound } from '../core/errors.js';
import type { BlobStore } from '../store/blob/blob-store.js';
import { findQueueRow, listQueueRows, makeDueNow, removeRow, type QueueRow } from '../delivery/outbound/queue-store.js';
import { changeAudited, requireAdmin, type AdminContext } from './context.js';

/** One queued outbound message to one remote recipient, as every interface shows it. */
export interface QueueItemView {
  id: string;
  /** Envelope sender ("" for the null sender of reports). */
  mailFrom: string;
  recipient: string;
  size: number;
  attempts: number;
  queuedAt: string;
  nextAttemptAt: string;
  expiresAt: string;
  lastError: string | null;
  /** A worker is trying to deliver it right now. */
  inFlight: boolean;
}

const queueItemView = (row: QueueRow & { size: number }, now = new Date()): QueueItemView => ({
  id: row.id,
  mailFrom: row.mail_from,
  recipient: row.recipient,
  size: Number(row.size),
  attempts: row.attempts,
  queuedAt: row.created_at,
  nextAttemptAt: row.next_attempt_at,
  expiresAt: row.expires_at,
  lastError: row.last_error,
  inFlight: row.locked_until !== null && row.locked_until > now.toISOString(),
});

const notQueued = (id: string) => new NotFound(`The queued message "${id}" wasn't found. It may have been delivered or removed.`);

/** The outbound queue is organization-wide, so it belongs to the Global Administrator. */
export async function listQueue(ctx: AdminContext, limit = 1000): Promise<QueueItemView[]> {
  requireAdmin(ctx.actor, 'organization');
  return (await listQueueRows(ctx.db, limit)).map((row) => queueItemView(row));
}

/** Makes a queued message due now; the caller wakes the outbound worker. */
export async function retryQueueItem(ctx: AdminContext, id: string): Promise<QueueItemView> {
  requireAdmin(ctx.actor, 'organization');
  return changeAudited(ctx, async (tx, audit) => {
    const row = await findQueueRow(tx, id);
    if (!row) throw notQueued(id);
    await makeDueNow(tx, id, new Date());
    const after = queueItemView((await findQueueRow(tx, id))!);
    await audit({ action: 'queue.retry', target: row.recipient, before: queueItemView(row), after });
    return after;
  });
}

/**
 * Removes a queued message without telling its sender (as `postsuper -d` does) and releases
 * its hold on the stored bytes. An attempt in flight may still deliver it.
 */
export async function removeQueueItem(ctx: AdminContext, blobs: BlobStore, id: string): Promise<void> {
  requireAdmin(ctx.actor, 'organization');
  await changeAudited(ctx, async (tx, audit) => {
    const row = await findQueueRow(tx, id);
    if (!row || !(await removeRow(tx, blobs, row))) throw notQueued(id);
    await audit({ action: 'queue.remove', target: row.recipient, before: queueItemView(row) });
  });
}
