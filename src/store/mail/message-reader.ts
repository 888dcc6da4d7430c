import { sql, type Kysely } from 'kysely';
import type { Database } from '../sql/schema.js';
import { ensureDefaultFolders, findFolder, type Folder } from './folders.js';

type Db = Kysely<Database>;

export interface FolderStatistics {
  name: string;
  specialUse: string | null;
  messages: number;
  unseen: number;
  bytes: number;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
}

const seenPattern = '%\\Seen%';

/** Per-folder counts and sizes of a mailbox (what Exchange calls folder statistics). */
export async function folderStatistics(db: Db, mailboxId: string): Promise<FolderStatistics[]> {
  await ensureDefaultFolders(db, mailboxId);
  const rows = await db.selectFrom('folders')
    .leftJoin('messages', 'messages.folder_id', 'folders.id')
    .select([
      'folders.name', 'folders.special_use', 'folders.uidvalidity', 'folders.uidnext', 'folders.highest_modseq',
      (eb) => eb.fn.count<number>('messages.id').as('messages'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('messages.size'), sql<number>`0`).as('bytes'),
      sql<number>`sum(case when messages.id is not null and messages.flags not like ${seenPattern} then 1 else 0 end)`.as('unseen'),
    ])
    .where('folders.mailbox_id', '=', mailboxId)
    .groupBy(['folders.id', 'folders.name', 'folders.special_use', 'folders.uidvalidity', 'folders.uidnext', 'folders.highest_modseq'])
    .orderBy('folders.name')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    specialUse: r.special_use,
    messages: Number(r.messages),
    unseen: Number(r.unseen ?? 0),
    bytes: Number(r.bytes),
    uidValidity: Number(r.uidvalidity),
    uidNext: Number(r.uidnext),
    highestModseq: Number(r.highest_modseq),
  }));
}

export interface MessageSummary {
  uid: number;
  subject: string;
  from: string;
  to: string;
  date: string | null;
  internalDate: string;
  size: number;
  flags: string[];
  blobHash: string;
}

const summaryColumns = ['uid', 'subject', 'from_text', 'to_text', 'date_sent', 'internal_date', 'size', 'flags', 'blob_hash'] as const;

type SummaryRow = Pick<Database['messages'], (typeof summaryColumns)[number]>;

const toSummary = (r: SummaryRow): MessageSummary => ({
  uid: Number(r.uid),
  subject: r.subject,
  from: r.from_text,
  to: r.to_text,
  date: r.date_sent,
  internalDate: r.internal_date,
  size: Number(r.size),
  flags: r.flags === '' ? [] : r.flags.split(' '),
  blobHash: r.blob_hash,
});

export async function listFolderMessages(db: Db, folder: Folder, page: { limit: number; offset: number }): Promise<MessageSummary[]> {
  const rows = await db.selectFrom('messages').select(summaryColumns)
    .where('folder_id', '=', folder.id).orderBy('uid').limit(page.limit).offset(page.offset).execute();
  return rows.map(toSummary);
}

export async function findMessage(db: Db, folder: Folder, uid: number): Promise<MessageSummary | undefined> {
  const row = await db.selectFrom('messages').select(summaryColumns).where('folder_id', '=', folder.id).where('uid', '=', uid).executeTakeFirst();
  return row ? toSummary(row) : undefined;
}

export { findFolder };
