import type { Kysely } from 'kysely';
import { newId, nowIso } from '../../core/ids.js';
import type { FolderTable } from '../sql/mail-schema.js';
import type { Database } from '../sql/schema.js';

type Db = Kysely<Database>;

/** The folders every mailbox has, with their RFC 6154 SPECIAL-USE roles. Delimiter is "/". */
export const defaultFolders: readonly { name: string; specialUse: string | null }[] = [
  { name: 'INBOX', specialUse: null },
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Sent Items', specialUse: '\\Sent' },
  { name: 'Deleted Items', specialUse: '\\Trash' },
  { name: 'Junk Email', specialUse: '\\Junk' },
  { name: 'Archive', specialUse: '\\Archive' },
];

export type Folder = FolderTable;

/** RFC 3501 §2.3.1.1: UIDVALIDITY must not repeat for a name; seconds since 2020 keep it within 32 bits for a century. */
const newUidValidity = (): number => Math.max(1, Math.floor((Date.now() - Date.UTC(2020, 0, 1)) / 1000));

/** Creates whichever default folders a mailbox lacks; idempotent and safe under concurrency. */
export async function ensureDefaultFolders(db: Db, mailboxId: string): Promise<void> {
  const existing = await db.selectFrom('folders').select('name').where('mailbox_id', '=', mailboxId).execute();
  const have = new Set(existing.map((f) => f.name));
  const missing = defaultFolders.filter((f) => !have.has(f.name));
  if (missing.length === 0) return;
  await db.insertInto('folders').values(missing.map((f) => ({
    id: newId(),
    mailbox_id: mailboxId,
    name: f.name,
    special_use: f.specialUse,
    uidvalidity: newUidValidity(),
    uidnext: 1,
    highest_modseq: 1,
    created_at: nowIso(),
  }))).onConflict((oc) => oc.columns(['mailbox_id', 'name']).doNothing()).execute();
}

export async function findFolder(db: Db, mailboxId: string, name: string): Promise<Folder | undefined> {
  // RFC 3501 §5.1: INBOX is case-insensitive; other names are case-sensitive.
  const canonical = name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
  return db.selectFrom('folders').selectAll().where('mailbox_id', '=', mailboxId).where('name', '=', canonical).executeTakeFirst();
}

export async function folderWithRole(db: Db, mailboxId: string, specialUse: string | null): Promise<Folder> {
  await ensureDefaultFolders(db, mailboxId);
  const q = db.selectFrom('folders').selectAll().where('mailbox_id', '=', mailboxId);
  const row = specialUse === null
    ? await q.where('name', '=', 'INBOX').executeTakeFirst()
    : await q.where('special_use', '=', specialUse).executeTakeFirst();
  if (!row) throw new Error(`mailbox ${mailboxId} has no folder for ${specialUse ?? 'INBOX'}`);
  return row;
}

export async function listFolders(db: Db, mailboxId: string): Promise<Folder[]> {
  return db.selectFrom('folders').selectAll().where('mailbox_id', '=', mailboxId).orderBy('name').execute();
}

const inboxes = new Map<string, Folder>();

/**
 * The mailbox's INBOX, created with the other default folders on first use. INBOX can be
 * neither deleted nor renamed (RFC 3501 §6.3.4, §6.3.5), so its row is remembered; callers
 * use only its id (UID and MODSEQ are always allocated in the database).
 */
export async function inboxOf(db: Db, mailboxId: string): Promise<Folder> {
  const cached = inboxes.get(mailboxId);
  if (cached) return cached;
  const inbox = await folderWithRole(db, mailboxId, null);
  if (inboxes.size > 100_000) inboxes.clear();
  inboxes.set(mailboxId, inbox);
  return inbox;
}

/**
 * The folder with this name, created when missing together with any missing parents
 * (RFC 3501 §6.3.3: a server SHOULD create the superior hierarchical names). Returns the folder
 * and the folders it created, for the change feed. Safe under concurrency.
 */
export async function ensureFolderPath(db: Db, mailboxId: string, name: string): Promise<{ folder: Folder; created: Folder[] }> {
  const parts = name.split('/');
  const created: Folder[] = [];
  let folder: Folder | undefined;
  for (let depth = 1; depth <= parts.length; depth++) {
    const path = parts.slice(0, depth).join('/');
    folder = await findFolder(db, mailboxId, path);
    if (folder) continue;
    const inserted = await db.insertInto('folders').values({
      id: newId(),
      mailbox_id: mailboxId,
      name: path,
      special_use: null,
      uidvalidity: newUidValidity(),
      uidnext: 1,
      highest_modseq: 1,
      created_at: nowIso(),
    }).onConflict((oc) => oc.columns(['mailbox_id', 'name']).doNothing()).returningAll().executeTakeFirst();
    if (inserted) created.push(inserted);
    folder = inserted ?? await findFolder(db, mailboxId, path);
  }
  if (!folder) throw new Error(`folder "${name}" of mailbox ${mailboxId} could not be created`);
  return { folder, created };
}
