import { sql, type Kysely } from 'kysely';
import { newId } from '../../core/ids.js';
import type { StagedBlob } from '../blob/blob-store.js';
import type { MailChange } from '../change-feed.js';
import type { DatabaseEngine } from '../sql/database.js';
import type { Database } from '../sql/schema.js';
import type { Folder } from './folders.js';

type Db = Kysely<Database>;

/** What the store keeps beside each message so IMAP never re-parses it (computed once per blob). */
export interface IndexedMessage {
  readonly structureJson: string;
  readonly subject: string;
  readonly from: string;
  readonly to: string;
  readonly cc: string;
  readonly date: string | null;
  readonly messageId: string | null;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  /** Decoded text of the body, for the full-text index. */
  readonly text: string;
}

export interface NewMessage {
  readonly folder: Folder;
  readonly blob: StagedBlob;
  readonly indexed: IndexedMessage;
  readonly flags: readonly string[];
  readonly internalDate: string;
}

export interface AppendedMessage { id: string; uid: number; modseq: number; change: MailChange }

/**
 * Appends a message to a folder inside the caller's transaction: allocates the next UID and
 * MODSEQ (RFC 3501 §2.3.1.1, RFC 7162 §3.1), references the blob, indexes the text and counts
 * the size against the mailbox. The caller references the blob once per message it appends.
 */
export async function appendMessage(db: Db, engine: DatabaseEngine, message: NewMessage): Promise<AppendedMessage> {
  const folder = await db.updateTable('folders')
    .set((eb) => ({ uidnext: eb('uidnext', '+', 1), highest_modseq: eb('highest_modseq', '+', 1) }))
    .where('id', '=', message.folder.id)
    .returning(['uidnext', 'highest_modseq', 'mailbox_id'])
    .executeTakeFirstOrThrow();
  const uid = Number(folder.uidnext) - 1;
  const modseq = Number(folder.highest_modseq);
  const id = newId();
  const m = message.indexed;
  await db.insertInto('messages').values({
    id,
    folder_id: message.folder.id,
    uid,
    modseq,
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
  }).execute();
  if (engine === 'postgres') {
    await sql`UPDATE messages SET search_vector = to_tsvector('simple', ${m.subject} || ' ' || ${m.text}) WHERE id = ${id}`.execute(db);
  } else {
    await db.insertInto('message_text').values({ message_id: id, subject: m.subject, body: m.text }).execute();
  }
  await db.insertInto('mailbox_usage').values({ mailbox_id: folder.mailbox_id, bytes: message.blob.size, messages: 1, warned: 0 })
    .onConflict((oc) => oc.column('mailbox_id').doUpdateSet((eb) => ({
      bytes: eb('mailbox_usage.bytes', '+', message.blob.size),
      messages: eb('mailbox_usage.messages', '+', 1),
    }))).execute();
  return { id, uid, modseq, change: { kind: 'message-added', mailboxId: folder.mailbox_id, folderId: message.folder.id, uid, modseq } };
}

export async function mailboxUsage(db: Db, mailboxId: string): Promise<{ bytes: number; messages: number; warned: boolean }> {
  const row = await db.selectFrom('mailbox_usage').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirst();
  return { bytes: Number(row?.bytes ?? 0), messages: Number(row?.messages ?? 0), warned: row?.warned === 1 };
}
