import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { MailChange } from '../change-feed.js';
import { precompiled } from '../sql/precompiled.js';
import type { MessageTable } from '../sql/mail-schema.js';
import type { Database } from '../sql/schema.js';

type Db = Kysely<Database>;

/**
 * The reads and writes an IMAP session makes on one folder: its UID list (message sequence
 * numbers are positions in it, RFC 3501 §2.3.1.2), the rows FETCH needs, and flag changes with
 * their mod-sequences (RFC 7162 §3.1). Everything else about messages is in the other store
 * modules (appending: message-batch.ts, expunging: expunge.ts).
 */

/**
 * Every UID in the folder, ascending. The list comes back as one comma-separated string rather
 * than a row per message: 100,000 row objects cost ~35 ms, one string and a split ~14 ms, which
 * is what the first SELECT of a large folder waits for.
 */
export async function folderUids(db: Db, folderId: string): Promise<number[]> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const { rows } = postgres
    ? await sql<{ uids: string | null }>`SELECT string_agg(uid::text, ',' ORDER BY uid) AS uids FROM messages WHERE folder_id = ${folderId}`.execute(db)
    : await sql<{ uids: string | null }>`SELECT group_concat(uid) AS uids FROM (SELECT uid FROM messages WHERE folder_id = ${folderId} ORDER BY uid)`.execute(db);
  const text = rows[0]?.uids ?? null;
  if (text === null || text === '') return [];
  const uids = text.split(',').map(Number);
  // SQLite documents group_concat's order as arbitrary (it follows the ordered subquery): check it.
  for (let i = 1; i < uids.length; i++) {
    if (uids[i]! <= uids[i - 1]!) return uids.sort((a, b) => a - b);
  }
  return uids;
}

/** The stored columns of a message that FETCH, SEARCH, SORT and THREAD may read. */
export type MessageColumn = Exclude<keyof MessageTable, 'id' | 'folder_id'>;

/** A message row with the columns asked for (only those are filled in; `uid` always is). */
export type MessageRow = Readonly<Pick<MessageTable, MessageColumn>>;

const rangeStatements = new Map<string, ReturnType<typeof precompiled<{ folderId: string; low: number; high: number }, MessageRow>>>();

/**
 * Rows for the UIDs in [low, high] that are in the folder, ascending, with the columns asked for
 * (uid always). One indexed range scan: for `1:*` that is the whole folder in one statement.
 */
export async function messagesInRange(db: Db, folderId: string, low: number, high: number, columns: readonly MessageColumn[]): Promise<MessageRow[]> {
  const wanted = [...new Set<MessageColumn>(['uid', ...columns])].sort();
  const key = wanted.join(',');
  let statement = rangeStatements.get(key);
  if (!statement) {
    statement = precompiled<{ folderId: string; low: number; high: number }, MessageRow>((d, param) =>
      d.selectFrom('messages').select(wanted).where('folder_id', '=', param('folderId'))
        .where('uid', '>=', param('low')).where('uid', '<=', param('high')).orderBy('uid') as never);
    rangeStatements.set(key, statement);
  }
  return statement(db, { folderId, low, high });
}

const listStatements = new Map<string, (db: Db, folderId: string, uids: readonly number[]) => Promise<MessageRow[]>>();

function listStatement(wanted: readonly MessageColumn[]): (db: Db, folderId: string, uids: readonly number[]) => Promise<MessageRow[]> {
  const key = wanted.join(',');
  let statement = listStatements.get(key);
  if (!statement) {
    statement = (db, folderId, uids) => db.selectFrom('messages').select(wanted as MessageColumn[])
      .where('folder_id', '=', folderId).where('uid', 'in', uids as number[]).orderBy('uid').execute() as Promise<MessageRow[]>;
    listStatements.set(key, statement);
  }
  return statement;
}

/**
 * Rows for exactly these UIDs (ascending), with the columns asked for. Dense runs are read as one
 * range scan; scattered UIDs (a STORE on "5,90000", flag changes another session made here and
 * there) by key, so the cost follows the number of messages, never the size of the folder.
 */
export async function messagesWithUids(db: Db, folderId: string, uids: readonly number[], columns: readonly MessageColumn[]): Promise<MessageRow[]> {
  if (uids.length === 0) return [];
  const wanted = [...new Set<MessageColumn>(['uid', ...columns])].sort();
  const first = uids[0]!;
  const last = uids[uids.length - 1]!;
  if (last - first + 1 <= uids.length * 4) {
    // Both ascending: keep the rows whose UID is in the list, walking the two together.
    const rows = await messagesInRange(db, folderId, first, last, wanted);
    const kept: MessageRow[] = [];
    let k = 0;
    for (const row of rows) {
      const uid = Number(row.uid);
      while (k < uids.length && uids[k]! < uid) k++;
      if (k < uids.length && uids[k] === uid) kept.push(row);
    }
    return kept;
  }
  const rows: MessageRow[] = [];
  for (let i = 0; i < uids.length; i += 500) rows.push(...await listStatement(wanted)(db, folderId, uids.slice(i, i + 500)));
  return rows;
}

/** UIDs of the folder's messages flagged \Deleted, ascending (EXPUNGE, CLOSE): filtered in SQL, not row by row in JS. */
export async function deletedUids(db: Db, folderId: string): Promise<number[]> {
  const rows = await db.selectFrom('messages').select('uid').where('folder_id', '=', folderId)
    // An explicit ESCAPE: PostgreSQL's LIKE otherwise treats the backslash of \Deleted as one.
    .where(sql<boolean>`(' ' || flags || ' ') like ${'% \\Deleted %'} escape '!'`).orderBy('uid').execute();
  return rows.map((r) => Number(r.uid));
}

export function parseFlags(text: string): string[] {
  return text === '' ? [] : text.split(' ');
}

export interface FlagChange {
  readonly operation: 'replace' | 'add' | 'remove';
  readonly flags: readonly string[];
  /** RFC 7162 §3.1.3: leave messages whose mod-sequence is above this alone. */
  readonly unchangedSince: number | null;
}

export interface FlagChangeResult {
  /** Messages whose flags changed, with their new flags. */
  readonly changed: ReadonlyArray<{ uid: number; flags: string[] }>;
  /** UIDs that failed the UNCHANGEDSINCE test (RFC 7162 §3.1.3, the MODIFIED response code). */
  readonly modified: readonly number[];
  /** The mod-sequence given to every changed message (0 when nothing changed). */
  readonly modseq: number;
  readonly changes: MailChange[];
  /** Every named message still in the folder, as it is now (for STORE's FETCH responses without a second read). */
  readonly state: ReadonlyMap<number, { flags: string; modseq: number }>;
}

/** Flags compare case-insensitively (RFC 3501 §2.3.2); the first spelling stored wins. */
function applyFlags(current: readonly string[], change: FlagChange): string[] {
  const lower = (f: string): string => f.toLowerCase();
  if (change.operation === 'replace') {
    const out: string[] = [];
    for (const f of change.flags) if (!out.some((o) => lower(o) === lower(f))) out.push(f);
    return out;
  }
  if (change.operation === 'add') {
    const out = [...current];
    for (const f of change.flags) if (!out.some((o) => lower(o) === lower(f))) out.push(f);
    return out;
  }
  const removing = new Set(change.flags.map(lower));
  return current.filter((f) => !removing.has(lower(f)));
}

const sameFlags = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((f) => b.some((g) => g.toLowerCase() === f.toLowerCase()));

function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Changes the flags of some messages of a folder in one transaction. Every message that changes
 * gets one new mod-sequence, the folder's HIGHESTMODSEQ + 1 (RFC 7162 §3.1: a new mod-sequence
 * per change, shared by the messages of one STORE). Messages are grouped by their resulting
 * flags, so `+FLAGS (\Seen)` on 1,000 unread messages is one UPDATE.
 */
export function changeFlags(db: Db, folderId: string, uids: readonly number[], change: FlagChange): Promise<FlagChangeResult> {
  return db.transaction().execute(async (tx) => {
    const folder = await tx.selectFrom('folders').select(['mailbox_id', 'highest_modseq']).where('id', '=', folderId).executeTakeFirst();
    const state = new Map<number, { flags: string; modseq: number }>();
    const none: FlagChangeResult = { changed: [], modified: [], modseq: 0, changes: [], state };
    if (!folder || uids.length === 0) return none;
    const sorted = [...uids].sort((a, b) => a - b);
    const rows = await messagesWithUids(tx, folderId, [...new Set(sorted)], ['flags', 'modseq']);
    const wanted = new Set(sorted);
    const modified: number[] = [];
    const byFlags = new Map<string, { flags: string[]; uids: number[] }>();
    for (const row of rows) {
      const uid = Number(row.uid);
      if (!wanted.has(uid)) continue;
      if (change.unchangedSince !== null && Number(row.modseq) > change.unchangedSince) {
        modified.push(uid);
        continue;
      }
      state.set(uid, { flags: row.flags, modseq: Number(row.modseq) });
      const current = parseFlags(row.flags);
      const next = applyFlags(current, change);
      if (sameFlags(current, next)) continue;
      const key = next.join(' ');
      const group = byFlags.get(key) ?? { flags: next, uids: [] };
      group.uids.push(uid);
      byFlags.set(key, group);
    }
    if (byFlags.size === 0) return { ...none, modified };
    const { highest_modseq: modseqValue } = await tx.updateTable('folders').set((eb) => ({ highest_modseq: eb('highest_modseq', '+', 1) }))
      .where('id', '=', folderId).returning('highest_modseq').executeTakeFirstOrThrow();
    const modseq = Number(modseqValue);
    const changed: { uid: number; flags: string[] }[] = [];
    for (const [key, group] of byFlags) {
      for (const some of chunks(group.uids)) {
        await tx.updateTable('messages').set({ flags: key, modseq }).where('folder_id', '=', folderId).where('uid', 'in', some).execute();
      }
      for (const uid of group.uids) {
        changed.push({ uid, flags: group.flags });
        state.set(uid, { flags: key, modseq });
      }
    }
    changed.sort((a, b) => a.uid - b.uid);
    return {
      changed,
      modified,
      modseq,
      changes: [{ kind: 'flags-changed', mailboxId: folder.mailbox_id, folderId, uids: changed.map((c) => c.uid), modseq, flags: changed.map((c) => c.flags.join(' ')) }],
      state,
    };
  });
}

/** Folder counters for SELECT and STATUS. */
export interface FolderCounters {
  readonly messages: number;
  readonly unseen: number;
  readonly deleted: number;
  readonly size: number;
}

/** Message count, unseen count and total size in one aggregate (RFC 3501 §6.3.10, RFC 8438 SIZE). */
export async function folderCounters(db: Db, folderId: string): Promise<FolderCounters> {
  const row = await db.selectFrom('messages')
    .select([
      (eb) => eb.fn.countAll<number>().as('messages'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), sql<number>`0`).as('size'),
      // An explicit ESCAPE: PostgreSQL's LIKE otherwise treats the backslash of \Seen as one.
      sql<number>`coalesce(sum(case when (' ' || flags || ' ') like ${'% \\Seen %'} escape '!' then 0 else 1 end), 0)`.as('unseen'),
      sql<number>`coalesce(sum(case when (' ' || flags || ' ') like ${'% \\Deleted %'} escape '!' then 1 else 0 end), 0)`.as('deleted'),
    ])
    .where('folder_id', '=', folderId).executeTakeFirstOrThrow();
  return { messages: Number(row.messages), unseen: Number(row.unseen), deleted: Number(row.deleted), size: Number(row.size) };
}
