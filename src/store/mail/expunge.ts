import type { Kysely } from 'kysely';
import { newId } from '../../core/ids.js';
import { indexMessage } from '../../delivery/index-message.js';
import type { Principal } from '../../directory/accounts.js';
import { recordAudit } from '../../directory/audit-log.js';
import type { BlobStore } from '../blob/blob-store.js';
import type { MailChange } from '../change-feed.js';
import type { DatabaseEngine } from '../sql/database.js';
import type { RecoverableMessageTable } from '../sql/mail-schema.js';
import type { Database } from '../sql/schema.js';
import { releaseBlobText } from './blob-text.js';
import { ensureDefaultFolders, ensureFolderPath, findFolder, type Folder } from './folders.js';
import { appendMessage, type IndexedMessage } from './message-writer.js';

type Db = Kysely<Database>;

/**
 * Deleting is for everyone, as in Exchange: a message expunged by any member is gone for all of
 * them. Unlike Exchange, it stays recoverable for a while (MAILROOM_RECOVERY_DAYS): its row moves
 * to `recoverable_messages`, which keeps holding the blob's reference, until an administrator
 * restores it or the hourly purge lets it go.
 */

/** Who acts: the signed-in principal (the mailbox's owner, a delegate, an administrator). */
export type MailActor = Pick<Principal, 'id' | 'address'>;

export interface ExpungeRequest {
  readonly folderId: string;
  /** UIDs that are not (or no longer) in the folder are ignored, as UID EXPUNGE does. */
  readonly uids: readonly number[];
  readonly actor: MailActor;
  /**
   * "delete" (the default): the messages stay recoverable, and a delegate's delete is audited.
   * "move": they live on in another folder (RFC 6851 MOVE appends them there first), so nothing
   * is kept and their blob references are released.
   */
  readonly purpose?: 'delete' | 'move';
}

export interface ExpungedMessage { uid: number; subject: string; size: number }

export interface ExpungeResult {
  /** In UID order; empty when none of the UIDs was in the folder. */
  readonly expunged: ExpungedMessage[];
  /** For the change feed: publish once the transaction has committed. */
  readonly changes: MailChange[];
}

/** Runs in the caller's transaction when given one (IMAP MOVE appends and expunges in one), else in its own. */
const inTransaction = <T>(db: Db, body: (tx: Db) => Promise<T>): Promise<T> =>
  db.isTransaction ? body(db) : db.transaction().execute(body);

/** Keeps statements under SQLite's and PostgreSQL's limits on bound parameters. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function expungeMessages(db: Db, engine: DatabaseEngine, request: ExpungeRequest): Promise<ExpungeResult> {
  return inTransaction(db, (tx) => expungeIn(tx, engine, request));
}

async function expungeIn(tx: Db, engine: DatabaseEngine, request: ExpungeRequest): Promise<ExpungeResult> {
  const none: ExpungeResult = { expunged: [], changes: [] };
  const uids = [...new Set(request.uids)].filter((uid) => Number.isSafeInteger(uid) && uid > 0);
  const folder = await tx.selectFrom('folders').select(['id', 'mailbox_id', 'name']).where('id', '=', request.folderId).executeTakeFirst();
  if (!folder || uids.length === 0) return none;

  // Deleting first claims the rows: when two members expunge the same message at once, the
  // second DELETE finds nothing, so the message is never kept (or released) twice.
  const removed: Pick<Database['messages'], 'id' | 'uid' | 'blob_hash' | 'size' | 'internal_date' | 'flags' | 'subject'>[] = [];
  for (const some of chunks(uids)) {
    removed.push(...await tx.deleteFrom('messages').where('folder_id', '=', folder.id).where('uid', 'in', some)
      .returning(['id', 'uid', 'blob_hash', 'size', 'internal_date', 'flags', 'subject']).execute());
  }
  if (removed.length === 0) return none;
  removed.sort((a, b) => Number(a.uid) - Number(b.uid));
  // The full-text index is per blob (blob-text.ts): drop the text of blobs no message holds any more.
  await releaseBlobText(tx, engine, removed.map((m) => m.blob_hash));

  const purpose = request.purpose ?? 'delete';
  if (purpose === 'delete') {
    const expungedAt = new Date().toISOString();
    for (const some of chunks(removed)) {
      await tx.insertInto('recoverable_messages').values(some.map((m): RecoverableMessageTable => ({
        id: newId(),
        mailbox_id: folder.mailbox_id,
        folder_name: folder.name,
        // The message's reference to its blob passes to this row, so the refcount is unchanged.
        blob_hash: m.blob_hash,
        size: m.size,
        internal_date: m.internal_date,
        flags: m.flags,
        subject: m.subject,
        expunged_at: expungedAt,
        expunged_by: request.actor.address,
        original_uid: m.uid,
      }))).execute();
    }
  } else {
    // What BlobStore.release does; the collector deletes what nothing references.
    for (const [hash, count] of countByBlob(removed)) {
      await tx.updateTable('blobs').set((eb) => ({ refcount: eb('refcount', '-', count) })).where('hash', '=', hash).execute();
    }
  }

  // RFC 7162: an expunge is a change like any other, so it increments the mailbox's HIGHESTMODSEQ
  // (QRESYNC clients learn of it from there).
  const { highest_modseq: modseq } = await tx.updateTable('folders').set((eb) => ({ highest_modseq: eb('highest_modseq', '+', 1) }))
    .where('id', '=', folder.id).returning('highest_modseq').executeTakeFirstOrThrow();
  await releaseUsage(tx, folder.mailbox_id, removed.reduce((sum, m) => sum + Number(m.size), 0), removed.length);

  if (purpose === 'delete' && request.actor.id !== folder.mailbox_id) {
    // A delegate's delete is recorded, message by message, in the transaction that deletes.
    const mailbox = await tx.selectFrom('recipients').select('primary_address').where('id', '=', folder.mailbox_id).executeTakeFirstOrThrow();
    for (const m of removed) {
      await recordAudit(tx, {
        actor: request.actor.address,
        action: 'message.delete',
        target: mailbox.primary_address,
        after: { folder: folder.name, uid: Number(m.uid), subject: m.subject },
      });
    }
  }

  const expunged = removed.map((m) => ({ uid: Number(m.uid), subject: m.subject, size: Number(m.size) }));
  return {
    expunged,
    changes: [{ kind: 'expunged', mailboxId: folder.mailbox_id, folderId: folder.id, uids: expunged.map((m) => m.uid), modseq: Number(modseq) }],
  };
}

function countByBlob(rows: readonly { blob_hash: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.blob_hash, (counts.get(row.blob_hash) ?? 0) + 1);
  return counts;
}

/**
 * Takes expunged messages off the mailbox's usage. Once usage is back under the warning quota,
 * the next crossing warns again (see delivery/stages/quota.ts).
 */
async function releaseUsage(tx: Db, mailboxId: string, bytes: number, count: number): Promise<void> {
  const usage = await tx.updateTable('mailbox_usage')
    .set((eb) => ({ bytes: eb('bytes', '-', bytes), messages: eb('messages', '-', count) }))
    .where('mailbox_id', '=', mailboxId).returning(['bytes', 'warned']).executeTakeFirst();
  if (!usage || Number(usage.warned) !== 1) return;
  const quota = await tx.selectFrom('mailbox_settings').select('quota_warn_bytes').where('recipient_id', '=', mailboxId).executeTakeFirst();
  if (quota && Number(usage.bytes) < Number(quota.quota_warn_bytes)) {
    await tx.updateTable('mailbox_usage').set({ warned: 0 }).where('mailbox_id', '=', mailboxId).execute();
  }
}

// ---------------------------------------------------------------- recoverable items

export interface RecoverableMessage {
  id: string;
  /** The folder it was expunged from. */
  folder: string;
  /** Its UID there (null for items expunged before migration 0005). */
  uid: number | null;
  subject: string;
  size: number;
  internalDate: string;
  flags: string[];
  expungedAt: string;
  expungedBy: string;
}

const splitFlags = (flags: string): string[] => (flags === '' ? [] : flags.split(' '));

const toRecoverable = (r: RecoverableMessageTable): RecoverableMessage => ({
  id: r.id,
  folder: r.folder_name,
  uid: r.original_uid === null ? null : Number(r.original_uid),
  subject: r.subject,
  size: Number(r.size),
  internalDate: r.internal_date,
  flags: splitFlags(r.flags),
  expungedAt: r.expunged_at,
  expungedBy: r.expunged_by,
});

/** A mailbox's recoverable items, most recently expunged first. */
export async function listRecoverable(db: Db, mailboxId: string, limit = 1000): Promise<RecoverableMessage[]> {
  const rows = await db.selectFrom('recoverable_messages').selectAll().where('mailbox_id', '=', mailboxId)
    .orderBy('expunged_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map(toRecoverable);
}

export interface RecoverRequest {
  readonly mailboxId: string;
  /** Only items expunged at or after this instant (ISO 8601, UTC). */
  readonly since?: string | undefined;
  /** The administrator restoring them, named in the audit log. */
  readonly actor: MailActor;
}

/** One restored message, where it is now. */
export interface RestoredMessage { folder: string; uid: number; subject: string; expungedAt: string; expungedBy: string }

export interface RecoverResult {
  readonly restored: RestoredMessage[];
  /** For the change feed: new messages, and folders created again. */
  readonly changes: MailChange[];
}

/**
 * Items restored per transaction, and the most bytes of them parsed at once: each batch is parsed
 * before its transaction, so the write lock is held only for the writes.
 */
const recoverBatch = 100;
const recoverBatchBytes = 64 * 1024 * 1024;

/**
 * Restores a mailbox's recoverable items into the folders they were expunged from (created again
 * when deleted since), as new messages with new UIDs (RFC 3501 §2.3.1.1: a UID is never reused),
 * with their flags and internal date. The item's blob reference passes to the new message.
 * Batches commit one by one, each with its audit entry; after a crash, running it again
 * restores the rest, and nothing twice.
 */
export async function recoverMessages(db: Db, engine: DatabaseEngine, blobs: BlobStore, request: RecoverRequest): Promise<RecoverResult> {
  const mailbox = await db.selectFrom('recipients').select('primary_address').where('id', '=', request.mailboxId).executeTakeFirstOrThrow();
  const result: RecoverResult = { restored: [], changes: [] };
  for (;;) {
    let q = db.selectFrom('recoverable_messages').selectAll().where('mailbox_id', '=', request.mailboxId);
    // Times are stored as toISOString() text, which sorts as time.
    if (request.since !== undefined) q = q.where('expunged_at', '>=', new Date(request.since).toISOString());
    const rows = await q.orderBy('expunged_at').orderBy('folder_name').orderBy('original_uid').orderBy('id').limit(recoverBatch).execute();
    if (rows.length === 0) return result;
    const prepared: { row: RecoverableMessageTable; indexed: IndexedMessage }[] = [];
    let bytes = 0;
    for (const row of rows) {
      if (prepared.length > 0 && bytes + Number(row.size) > recoverBatchBytes) break;
      bytes += Number(row.size);
      prepared.push({ row, indexed: indexMessage(await blobs.read(db, row.blob_hash)) });
    }
    const batch = await inTransaction(db, async (tx) => {
      const restored: RestoredMessage[] = [];
      const changes: MailChange[] = [];
      const folders = new FolderRestorer(tx, request.mailboxId);
      for (const { row, indexed } of prepared) {
        // Deleting claims the item: one restored by a concurrent recovery, or purged meanwhile, is skipped.
        const claimed = await tx.deleteFrom('recoverable_messages').where('id', '=', row.id).executeTakeFirst();
        if (Number(claimed.numDeletedRows) === 0) continue;
        const { folder, created } = await folders.restore(row.folder_name);
        for (const f of created) changes.push({ kind: 'folder-created', mailboxId: request.mailboxId, folderId: f.id, name: f.name });
        const appended = await appendMessage(tx, engine, {
          folder,
          blob: { hash: row.blob_hash, size: Number(row.size), inline: null },
          indexed,
          flags: splitFlags(row.flags),
          internalDate: row.internal_date,
        });
        changes.push(appended.change);
        restored.push({ folder: folder.name, uid: appended.uid, subject: row.subject, expungedAt: row.expunged_at, expungedBy: row.expunged_by });
      }
      if (restored.length > 0) {
        await recordAudit(tx, {
          actor: request.actor.address,
          action: 'mailbox.recover',
          target: mailbox.primary_address,
          after: { since: request.since ?? null, messages: restored },
        });
      }
      return { restored, changes };
    });
    result.restored.push(...batch.restored);
    result.changes.push(...batch.changes);
  }
}

/** A name that can be a folder again; anything else goes back to INBOX. */
const restorableName = (name: string): boolean => name !== '' && !name.startsWith('/') && !name.endsWith('/') && !name.includes('//');

/** The folders items go back to, found (or created again) once per batch. */
class FolderRestorer {
  private readonly known = new Map<string, Folder>();
  private defaultsEnsured = false;

  constructor(private readonly tx: Db, private readonly mailboxId: string) {}

  async restore(name: string): Promise<{ folder: Folder; created: Folder[] }> {
    const target = restorableName(name) ? name : 'INBOX';
    const cached = this.known.get(target);
    if (cached) return { folder: cached, created: [] };
    if (!this.defaultsEnsured) {
      // Default folders come back with their SPECIAL-USE role.
      await ensureDefaultFolders(this.tx, this.mailboxId);
      this.defaultsEnsured = true;
    }
    const existing = await findFolder(this.tx, this.mailboxId, target);
    const found = existing ? { folder: existing, created: [] } : await ensureFolderPath(this.tx, this.mailboxId, target);
    this.known.set(target, found.folder);
    return found;
  }
}

export interface PurgeOptions {
  readonly olderThanDays: number;
  readonly now?: Date;
}

export interface PurgeResult {
  /** Recoverable items that were past the window. */
  readonly purged: number;
  /** Blobs nothing referenced any more, deleted afterwards. */
  readonly blobsRemoved: number;
}

/**
 * Lets go of items expunged more than `olderThanDays` ago: their rows go and their blob
 * references are released; then blobs nothing references are collected. Safe to run on several
 * nodes at once (each row is released by whoever deletes it).
 */
export async function purgeExpired(db: Db, blobs: BlobStore, options: PurgeOptions): Promise<PurgeResult> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanDays * 86_400_000).toISOString();
  let purged = 0;
  for (;;) {
    const batch = await db.transaction().execute(async (tx) => {
      const due = await tx.selectFrom('recoverable_messages').select('id').where('expunged_at', '<', cutoff).limit(500).execute();
      if (due.length === 0) return { seen: 0, gone: 0 };
      const gone = await tx.deleteFrom('recoverable_messages').where('id', 'in', due.map((r) => r.id)).returning('blob_hash').execute();
      for (const [hash, count] of countByBlob(gone)) await blobs.release(tx, hash, count);
      return { seen: due.length, gone: gone.length };
    });
    purged += batch.gone;
    if (batch.seen < 500) break;
  }
  let blobsRemoved = 0;
  for (let removed = await blobs.collectGarbage(db); removed > 0; removed = await blobs.collectGarbage(db)) blobsRemoved += removed;
  return { purged, blobsRemoved };
}
