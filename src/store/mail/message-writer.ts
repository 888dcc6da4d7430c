import type { Kysely } from 'kysely';
import type { StagedBlob } from '../blob/blob-store.js';
import type { MailChange } from '../change-feed.js';
import type { DatabaseEngine } from '../sql/database.js';
import type { Database } from '../sql/schema.js';
import type { Folder } from './folders.js';
import { MessageBatch } from './message-batch.js';

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
  /** The header block as latin1 text, at most 64 KiB (SEARCH HEADER); absent where unknown. */
  readonly header?: string;
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
 * MODSEQ (RFC 3501 §2.3.1.1, RFC 7162 §3.1), indexes the blob's text if it has none yet and
 * counts the size against the mailbox. The caller references the blob once per message it
 * appends. To append many at once (delivery), use MessageBatch directly.
 */
export async function appendMessage(db: Db, engine: DatabaseEngine, message: NewMessage): Promise<AppendedMessage> {
  const batch = new MessageBatch();
  batch.add({ folderId: message.folder.id, mailboxId: message.folder.mailbox_id, blob: message.blob, indexed: message.indexed, flags: message.flags, internalDate: message.internalDate });
  const [appended] = await batch.write(db, engine);
  return appended!;
}

export async function mailboxUsage(db: Db, mailboxId: string): Promise<{ bytes: number; messages: number; warned: boolean }> {
  const row = await db.selectFrom('mailbox_usage').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirst();
  return { bytes: Number(row?.bytes ?? 0), messages: Number(row?.messages ?? 0), warned: row?.warned === 1 };
}
