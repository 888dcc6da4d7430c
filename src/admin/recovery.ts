import { InvalidInput } from '../core/errors.js';
import { requireRecipient } from '../directory/recipients.js';
import type { BlobStore } from '../store/blob/blob-store.js';
import type { ChangeFeed } from '../store/change-feed.js';
import { listRecoverable, recoverMessages, type RecoverableMessage, type RestoredMessage } from '../store/mail/expunge.js';
import type { DatabaseEngine } from '../store/sql/database.js';
import { requireAdmin, type AdminContext } from './context.js';

/** What restoring needs besides the database: the blobs to re-index, and the feed that tells readers. */
export interface RecoveryDeps {
  readonly engine: DatabaseEngine;
  readonly blobs: BlobStore;
  readonly feed: ChangeFeed;
  /** MAILROOM_RECOVERY_DAYS: how long an expunged message stays recoverable. */
  readonly recoveryDays: number;
}

/** A recoverable item as every interface shows it. */
export interface RecoverableItemView {
  id: string;
  folder: string;
  /** Its UID before it was deleted, as the audit entry of the delete names it. */
  uid: number | null;
  subject: string;
  size: number;
  internalDate: string;
  expungedAt: string;
  expungedBy: string;
  /** When the hourly purge lets it go. */
  recoverableUntil: string;
}

const itemView = (item: RecoverableMessage, recoveryDays: number): RecoverableItemView => ({
  id: item.id,
  folder: item.folder,
  uid: item.uid,
  subject: item.subject,
  size: item.size,
  internalDate: item.internalDate,
  expungedAt: item.expungedAt,
  expungedBy: item.expungedBy,
  recoverableUntil: new Date(Date.parse(item.expungedAt) + recoveryDays * 86_400_000).toISOString(),
});

/** An ISO 8601 date or date-time, as UTC text; the same words as the audit log's filter. */
function parseSince(value: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? Date.parse(value.trim()) : NaN;
  if (Number.isNaN(ms)) throw new InvalidInput(`"${value}" is not an ISO 8601 time.`, 'since');
  return new Date(ms).toISOString();
}

/** Deleted messages of a user or shared mailbox that can still be restored, most recently deleted first. */
export async function listRecoverableItems(ctx: AdminContext, deps: Pick<RecoveryDeps, 'recoveryDays'>, address: string, limit = 1000): Promise<RecoverableItemView[]> {
  requireAdmin(ctx.actor, 'recipients');
  const mailbox = await requireRecipient(ctx.db, address, ['user', 'shared']);
  return (await listRecoverable(ctx.db, mailbox.id, limit)).map((item) => itemView(item, deps.recoveryDays));
}

/**
 * Restores a mailbox's deleted messages (those deleted at or after `since`, when given) for
 * everyone who opens it, each in the folder it was deleted from, with a new UID. Audited as
 * "mailbox.recover" with what was restored; nothing to restore records nothing.
 */
export async function recoverMailbox(ctx: AdminContext, deps: RecoveryDeps, address: string, options: { since?: string | undefined } = {}): Promise<RestoredMessage[]> {
  requireAdmin(ctx.actor, 'recipients');
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const mailbox = await requireRecipient(ctx.db, address, ['user', 'shared']);
  const { restored, changes } = await recoverMessages(ctx.db, deps.engine, deps.blobs, { mailboxId: mailbox.id, since, actor: ctx.actor });
  await ctx.durable?.();
  deps.feed.publish(changes);
  return restored;
}
