import type { Folder } from '../../store/mail/folders.js';
import type { FolderCounters } from '../../store/mail/message-index.js';
import type { Session } from './session.js';

/**
 * Who shares \Seen. By default everyone with access shares a mailbox's flags (Exchange's
 * behaviour). A mailbox whose setting `privateSeen` is on keeps \Seen per member instead
 * (the `private_seen` table): the shared flags never hold \Seen, and each member's sessions
 * merge in their own.
 */
export async function isPrivateSeen(session: Session, mailboxId: string): Promise<boolean> {
  const row = await session.deps.db.selectFrom('mailbox_settings').select('private_seen').where('recipient_id', '=', mailboxId).executeTakeFirst();
  return row?.private_seen === 1;
}

/** The UIDs the session's principal has seen in a folder of a private-seen mailbox. */
export async function privateSeenUids(session: Session, folderId: string): Promise<Set<number>> {
  const rows = await session.deps.db.selectFrom('private_seen').select('uid')
    .where('folder_id', '=', folderId).where('principal_id', '=', session.principal!.id).execute();
  return new Set(rows.map((r) => Number(r.uid)));
}

/** Flags as this session sees them: the shared ones, with \Seen from the member's own state when private. */
export function flagsAsSeen(flags: string[], uid: number, seen: ReadonlySet<number> | null): string[] {
  if (seen === null) return flags;
  const shared = flags.filter((f) => f.toLowerCase() !== '\\seen');
  if (seen.has(uid)) shared.push('\\Seen');
  return shared;
}

/** STATUS UNSEEN for this session. */
export async function seenCounter(session: Session, folder: Folder, counts: FolderCounters): Promise<number> {
  if (!(await isPrivateSeen(session, folder.mailbox_id))) return counts.unseen;
  const row = await session.deps.db.selectFrom('private_seen').innerJoin('messages', (join) => join
    .onRef('messages.folder_id', '=', 'private_seen.folder_id').onRef('messages.uid', '=', 'private_seen.uid'))
    .select((eb) => eb.fn.countAll<number>().as('seen'))
    .where('private_seen.folder_id', '=', folder.id).where('private_seen.principal_id', '=', session.principal!.id).executeTakeFirst();
  return counts.messages - Number(row?.seen ?? 0);
}

/** Records \Seen added or removed for the session's principal on some messages of a private-seen folder. */
export async function storePrivateSeen(session: Session, folderId: string, uids: readonly number[], seen: boolean): Promise<void> {
  const db = session.deps.db;
  const principalId = session.principal!.id;
  for (let i = 0; i < uids.length; i += 500) {
    const some = uids.slice(i, i + 500);
    if (seen) {
      await db.insertInto('private_seen').values(some.map((uid) => ({ folder_id: folderId, principal_id: principalId, uid })))
        .onConflict((oc) => oc.doNothing()).execute();
    } else {
      await db.deleteFrom('private_seen').where('folder_id', '=', folderId).where('principal_id', '=', principalId).where('uid', 'in', some).execute();
    }
  }
}
