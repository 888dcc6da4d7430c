import { sql, type Kysely } from 'kysely';
import { newTimeOrderedId } from '../../core/ids.js';
import type { StagedBlob } from '../blob/blob-store.js';
import type { MailChange } from '../change-feed.js';
import type { DatabaseEngine } from '../sql/database.js';
import type { MessageTable } from '../sql/mail-schema.js';
import type { Database } from '../sql/schema.js';
import { indexBlobText } from './blob-text.js';
import type { AppendedMessage, IndexedMessage } from './message-writer.js';

type Db = Kysely<Database>;

export interface BatchedMessage {
  readonly folderId: string;
  readonly mailboxId: string;
  readonly blob: StagedBlob;
  readonly indexed: IndexedMessage;
  readonly flags: readonly string[];
  readonly internalDate: string;
}

/** Rows per multi-row statement: 17 columns × 200 stays far below both engines' bound-parameter limits. */
const rowsPerStatement = 200;

function chunks<T>(items: readonly T[], size = rowsPerStatement): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Messages to append, gathered and then written together in the caller's transaction: one
 * UID/MODSEQ allocation per folder (one statement for all folders that get the same number of
 * messages), multi-row INSERTs of messages, full text once per blob, and one usage upsert per
 * mailbox. A delivery batch of 16 messages, or one message to a 500-member group, costs a
 * handful of statements instead of five per copy. References to blobs stay the caller's.
 */
export class MessageBatch {
  private readonly pending: BatchedMessage[] = [];
  private readonly added = new Map<string, { bytes: number; messages: number }>();

  get size(): number {
    return this.pending.length;
  }

  /** Queues a message; returns its position in the array `write` resolves to. */
  add(message: BatchedMessage): number {
    this.pending.push(message);
    const usage = this.added.get(message.mailboxId) ?? { bytes: 0, messages: 0 };
    usage.bytes += message.blob.size;
    usage.messages += 1;
    this.added.set(message.mailboxId, usage);
    return this.pending.length - 1;
  }

  /** What the queued messages add to a mailbox's usage once written. */
  pendingUsage(mailboxId: string): { bytes: number; messages: number } {
    return this.added.get(mailboxId) ?? { bytes: 0, messages: 0 };
  }

  /** Writes every queued message; results are in the order they were added. */
  async write(db: Db, engine: DatabaseEngine): Promise<AppendedMessage[]> {
    if (this.pending.length === 0) return [];
    if (engine === 'postgres') {
      // The blob rows first, in hash order, before the folder rows: releaseBlobText (expunge) locks
      // them in the same order, so the two wait for each other instead of deadlocking.
      const hashes = [...new Set(this.pending.map((message) => message.blob.hash))].sort();
      for (const some of chunks(hashes)) await sql`SELECT 1 FROM blobs WHERE hash IN (${sql.join(some)}) ORDER BY hash FOR KEY SHARE`.execute(db);
    }
    const slots = await this.allocateUids(db);
    const rows: MessageTable[] = this.pending.map((message, i) => {
      const m = message.indexed;
      return {
        id: newTimeOrderedId(),
        folder_id: message.folderId,
        uid: slots[i]!.uid,
        modseq: slots[i]!.modseq,
        blob_hash: message.blob.hash,
        size: message.blob.size,
        internal_date: message.internalDate,
        flags: [...new Set(message.flags)].join(' '),
        structure_json: m.structureJson,
        subject: m.subject,
        from_text: m.from,
        to_text: m.to,
        cc_text: m.cc,
        date_sent: m.date,
        message_id: m.messageId,
        in_reply_to: m.inReplyTo,
        thread_refs: m.references.join(' '),
      };
    });
    for (const some of chunks(rows)) await db.insertInto('messages').values(some).execute();
    // After the message rows (see blob-text.ts on PostgreSQL's locking).
    await indexBlobText(db, engine, this.pending.map((message) => ({ hash: message.blob.hash, subject: message.indexed.subject, text: message.indexed.text, header: message.indexed.header })));
    const usage = [...this.added].map(([mailbox_id, u]) => ({ mailbox_id, bytes: u.bytes, messages: u.messages, warned: 0 }));
    for (const some of chunks(usage)) {
      await db.insertInto('mailbox_usage').values(some)
        .onConflict((oc) => oc.column('mailbox_id').doUpdateSet((eb) => ({
          bytes: eb('mailbox_usage.bytes', '+', eb.ref('excluded.bytes')),
          messages: eb('mailbox_usage.messages', '+', eb.ref('excluded.messages')),
        }))).execute();
    }
    return rows.map((row, i) => ({
      id: row.id,
      uid: row.uid,
      modseq: row.modseq,
      change: { kind: 'message-added', mailboxId: this.pending[i]!.mailboxId, folderId: row.folder_id, uid: row.uid, modseq: row.modseq } satisfies MailChange,
    }));
  }

  /**
   * RFC 3501 §2.3.1.1 / RFC 7162 §3.1: each message gets the folder's next UID and a new MODSEQ.
   * A folder receiving n messages moves UIDNEXT and HIGHESTMODSEQ by n in one UPDATE, and
   * folders receiving the same n share that UPDATE.
   */
  private async allocateUids(db: Db): Promise<{ uid: number; modseq: number }[]> {
    const counts = new Map<string, number>();
    for (const message of this.pending) counts.set(message.folderId, (counts.get(message.folderId) ?? 0) + 1);
    const byCount = new Map<number, string[]>();
    for (const [folderId, n] of counts) byCount.set(n, [...(byCount.get(n) ?? []), folderId]);
    const next = new Map<string, { uid: number; modseq: number }>();
    for (const [n, folderIds] of byCount) {
      for (const some of chunks(folderIds)) {
        const updated = await db.updateTable('folders')
          .set((eb) => ({ uidnext: eb('uidnext', '+', n), highest_modseq: eb('highest_modseq', '+', n) }))
          .where('id', 'in', some)
          .returning(['id', 'uidnext', 'highest_modseq'])
          .execute();
        for (const row of updated) next.set(row.id, { uid: Number(row.uidnext) - n, modseq: Number(row.highest_modseq) - n + 1 });
      }
    }
    return this.pending.map((message) => {
      const slot = next.get(message.folderId);
      if (!slot) throw new Error(`folder ${message.folderId} no longer exists`);
      const taken = { ...slot };
      slot.uid++;
      slot.modseq++;
      return taken;
    });
  }
}
