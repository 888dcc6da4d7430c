import type { Kysely } from 'kysely';
import type { BlobStore } from '../blob/blob-store.js';
import type { MailChange } from '../change-feed.js';
import type { DatabaseEngine } from '../sql/database.js';
import type { Database } from '../sql/schema.js';
import type { Folder } from './folders.js';
import { MessageBatch } from './message-batch.js';
import { parseFlags } from './message-index.js';

type Db = Kysely<Database>;

/** A message to copy, as read from its folder. */
export interface CopySource {
  readonly uid: number;
  readonly size: number;
  readonly flags: string[];
  readonly internalDate: string;
  readonly blobHash: string;
  readonly row: Pick<Database['messages'], 'structure_json' | 'subject' | 'from_text' | 'to_text' | 'cc_text' | 'date_sent' | 'message_id' | 'in_reply_to' | 'thread_refs'>;
}

/** The messages of a folder among `uids`, ascending by UID (UIDs not in the folder are left out). */
export async function copySources(db: Db, folderId: string, uids: readonly number[]): Promise<CopySource[]> {
  const out: CopySource[] = [];
  for (let i = 0; i < uids.length; i += 500) {
    const rows = await db.selectFrom('messages')
      .select(['uid', 'size', 'flags', 'internal_date', 'blob_hash', 'structure_json', 'subject', 'from_text', 'to_text', 'cc_text', 'date_sent', 'message_id', 'in_reply_to', 'thread_refs'])
      .where('folder_id', '=', folderId).where('uid', 'in', uids.slice(i, i + 500)).execute();
    for (const r of rows) {
      out.push({ uid: Number(r.uid), size: Number(r.size), flags: parseFlags(r.flags), internalDate: r.internal_date, blobHash: r.blob_hash, row: r });
    }
  }
  return out.sort((a, b) => a.uid - b.uid);
}

export interface CopyResult {
  /** [source UID, new UID] in ascending source order (RFC 4315 §3 COPYUID pairs them so). */
  readonly pairs: Array<[number, number]>;
  /** For the change feed: publish once the transaction has committed. */
  readonly changes: MailChange[];
}

/**
 * Copies messages into a folder inside the caller's transaction: new rows with new UIDs (RFC
 * 3501 §6.4.7), the same internal date, the flags `flagsOf` gives, and one more reference to
 * each blob; no byte is copied and the full text is already indexed per blob (blob-text.ts).
 */
export async function copyMessages(
  tx: Db, engine: DatabaseEngine, blobs: BlobStore,
  sources: readonly CopySource[], target: Folder, flagsOf: (source: CopySource) => readonly string[],
): Promise<CopyResult> {
  if (sources.length === 0) return { pairs: [], changes: [] };
  const staged = sources.map((s) => ({ hash: s.blobHash, size: s.size, inline: null }));
  await blobs.referenceAll(tx, staged);
  const batch = new MessageBatch();
  sources.forEach((source, i) => {
    const r = source.row;
    batch.add({
      folderId: target.id,
      mailboxId: target.mailbox_id,
      blob: staged[i]!,
      indexed: {
        structureJson: r.structure_json,
        subject: r.subject,
        from: r.from_text,
        to: r.to_text,
        cc: r.cc_text,
        date: r.date_sent,
        messageId: r.message_id,
        inReplyTo: r.in_reply_to,
        references: r.thread_refs === '' ? [] : r.thread_refs.split(' '),
        // The blob's text is indexed already (its source message holds it in this transaction).
        text: '',
      },
      flags: flagsOf(source),
      internalDate: source.internalDate,
    });
  });
  const appended = await batch.write(tx, engine);
  return {
    pairs: sources.map((s, i) => [s.uid, appended[i]!.uid]),
    changes: appended.map((a) => a.change),
  };
}
