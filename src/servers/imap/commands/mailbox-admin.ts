// CREATE (RFC 3501 §6.3.3, RFC 6154 §3 USE), DELETE (RFC 3501 §6.3.4) and RENAME (RFC 3501 §6.3.5),
// with the rights of RFC 4314 §4: "k" on the parent to create, "x" on the folder to delete or rename.
import type { CreateCommand, DeleteCommand, RenameCommand } from '../../../protocol/imap/index.js';
import type { MailChange } from '../../../store/change-feed.js';
import { expungeMessages } from '../../../store/mail/expunge.js';
import { defaultFolders, ensureDefaultFolders, ensureFolderPath, findFolder, type Folder } from '../../../store/mail/folders.js';
import { childrenOf, rightsOnParent, withoutTrailingDelimiter } from '../folder-tree.js';
import { DELIMITER, parseImapName, type ResolvedFolder } from '../mailbox-paths.js';
import type { Session } from '../session.js';
import { AUTHENTICATED, no, ok, type CommandHandler, type CommandResult } from '../types.js';

const DEFAULT_NAMES = new Set(defaultFolders.map((f) => f.name));

/**
 * Where a new name would go: a folder of a mailbox the session may use. "Shared" and
 * "Shared/<address>" are the namespace's own nodes, never folders (RFC 2342 §5).
 */
async function resolveNewName(session: Session, name: string): Promise<ResolvedFolder | CommandResult> {
  const parsed = parseImapName(name);
  if (parsed.kind === 'shared-root' || parsed.kind === 'shared-mailbox') {
    return no('Folders can only be created inside a mailbox (Shared/<address>/<folder>)', { code: 'CANNOT' });
  }
  if (parsed.folder === '' || parsed.folder.split(DELIMITER).some((part) => part === '')) {
    return no('A folder name cannot have empty levels', { code: 'CANNOT' });
  }
  const resolved = await session.resolve(name);
  // A shared mailbox the session may not use looks the same as one that does not exist.
  if (!resolved) return no('There is no such mailbox to create the folder in', { code: 'CANNOT' });
  return resolved;
}

export const create: CommandHandler<CreateCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const target = await resolveNewName(session, withoutTrailingDelimiter(command.mailbox));
    if (!('mailboxId' in target)) return target;
    const { db } = session.deps;
    // Default folders are made on first use; make them now, so CREATE "INBOX" finds it.
    await ensureDefaultFolders(db, target.mailboxId);
    // RFC 3501 §6.3.3: creating INBOX, or any name that exists, is an error.
    if (await findFolder(db, target.mailboxId, target.folderName)) return no('The folder already exists', { code: 'ALREADYEXISTS' });
    const rights = await rightsOnParent(session, target, target.folderName);
    if (!rights.includes('k')) return no('You may not create folders here', { code: 'NOPERM' });
    let specialUse: string | null = null;
    if (command.specialUse.length > 0) {
      // RFC 6154 §3: one known attribute, not held by another folder, or NO [USEATTR].
      const known = new Set(defaultFolders.map((f) => f.specialUse));
      const [use] = command.specialUse;
      const taken = await db.selectFrom('folders').select('id').where('mailbox_id', '=', target.mailboxId)
        .where('special_use', '=', use ?? '').executeTakeFirst();
      if (command.specialUse.length > 1 || !use || !known.has(use) || taken) {
        return no('That special-use attribute is not available for a new folder', { code: 'USEATTR' });
      }
      specialUse = use;
    }
    const { created } = await db.transaction().execute(async (tx) => {
      const made = await ensureFolderPath(tx, target.mailboxId, target.folderName);
      if (specialUse) await tx.updateTable('folders').set({ special_use: specialUse }).where('id', '=', made.folder.id).execute();
      return made;
    });
    if (created.length === 0) return no('The folder already exists', { code: 'ALREADYEXISTS' });
    await session.deps.durable();
    session.deps.feed.publish(created.map((f) => folderChange('folder-created', f)));
    session.log.info({ mailbox: target.mailboxAddress, folder: target.folderName }, 'IMAP folder created');
    return ok('CREATE completed');
  },
};

export const deleteFolder: CommandHandler<DeleteCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const opened = await session.openFolder(command.mailbox);
    if (!opened) return no('No such mailbox', { code: 'NONEXISTENT' });
    const { resolved, folder, rights } = opened;
    // RFC 3501 §6.3.4: INBOX cannot be deleted. The other default folders are where delivery,
    // sent copies and deleted items go (RFC 6154 roles); as in Exchange, they stay.
    if (folder.name === 'INBOX' || DEFAULT_NAMES.has(folder.name)) return no(`${folder.name} cannot be deleted`, { code: 'CANNOT' });
    if (!rights.includes('x')) return no('You may not delete this folder', { code: 'NOPERM' });
    // RFC 3501 §6.3.4 lets a server keep a parent as \Noselect; we refuse instead (RFC 5530 HASCHILDREN).
    if ((await childrenOf(session, resolved.mailboxId, folder.name)).length > 0) {
      return no('Delete the folders inside it first', { code: 'HASCHILDREN' });
    }
    const { db, engine } = session.deps;
    if (session.selected?.folderId === folder.id) session.deselect();
    const changes = await db.transaction().execute(async (tx) => {
      const uids = (await tx.selectFrom('messages').select('uid').where('folder_id', '=', folder.id).execute()).map((r) => Number(r.uid));
      // Its messages go to recoverable items first, as an EXPUNGE by this principal: nothing is lost.
      const expunged = await expungeMessages(tx, engine, { folderId: folder.id, uids, actor: session.principal!, purpose: 'delete' });
      await tx.deleteFrom('folders').where('id', '=', folder.id).execute();
      return [...expunged.changes, folderChange('folder-deleted', folder)];
    });
    await session.deps.durable();
    session.deps.feed.publish(changes);
    session.log.info({ mailbox: resolved.mailboxAddress, folder: folder.name }, 'IMAP folder deleted');
    return ok('DELETE completed');
  },
};

export const rename: CommandHandler<RenameCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const opened = await session.openFolder(command.from);
    if (!opened) return no('No such mailbox', { code: 'NONEXISTENT' });
    const { resolved: source, folder, rights } = opened;
    const target = await resolveNewName(session, withoutTrailingDelimiter(command.to));
    if (!('mailboxId' in target)) return target;
    if (target.mailboxId !== source.mailboxId) return no('Folders cannot be moved to another mailbox', { code: 'CANNOT' });
    const { db } = session.deps;
    if (await findFolder(db, target.mailboxId, target.folderName)) return no('A folder with the new name already exists', { code: 'ALREADYEXISTS' });
    if (folder.name !== 'INBOX' && target.folderName.startsWith(`${folder.name}${DELIMITER}`)) return no('A folder cannot move inside itself', { code: 'CANNOT' });
    if (folder.name !== 'INBOX' && DEFAULT_NAMES.has(folder.name)) return no(`${folder.name} cannot be renamed`, { code: 'CANNOT' });
    // RFC 4314 §4: RENAME needs "x" on the source and "k" on the new parent.
    if (!rights.includes('x')) return no('You may not rename this folder', { code: 'NOPERM' });
    if (!(await rightsOnParent(session, target, target.folderName)).includes('k')) {
      return no('You may not create folders there', { code: 'NOPERM' });
    }
    const changes = folder.name === 'INBOX'
      ? await moveInboxContents(session, folder, target.folderName)
      : await renameTree(session, folder, target.folderName);
    await session.deps.durable();
    session.deps.feed.publish(changes);
    session.log.info({ mailbox: source.mailboxAddress, from: folder.name, to: target.folderName }, 'IMAP folder renamed');
    return ok('RENAME completed');
  },
};

/** Renames a folder and its inferior names (RFC 3501 §6.3.5), keeping their ids, UIDs and UIDVALIDITY. */
async function renameTree(session: Session, folder: Folder, newName: string): Promise<MailChange[]> {
  const children = await childrenOf(session, folder.mailbox_id, folder.name);
  return session.deps.db.transaction().execute(async (tx) => {
    const changes: MailChange[] = [];
    for (const f of [folder, ...children]) {
      const name = newName + f.name.slice(folder.name.length);
      await tx.updateTable('folders').set({ name }).where('id', '=', f.id).execute();
      changes.push(folderChange('folder-renamed', { ...f, name }));
    }
    // Parents the new name needs (RFC 3501 §6.3.5: superior names are created as for CREATE).
    const parent = newName.includes(DELIMITER) ? newName.slice(0, newName.lastIndexOf(DELIMITER)) : null;
    if (parent) changes.push(...(await ensureFolderPath(tx, folder.mailbox_id, parent)).created.map((f) => folderChange('folder-created', f)));
    return changes;
  });
}

/**
 * RFC 3501 §6.3.5: renaming INBOX moves all its messages to a new folder of the given name and
 * leaves INBOX empty; INBOX's inferior names are not affected. The messages keep their UIDs in
 * the new folder (whose UIDVALIDITY is new); INBOX's sessions see them expunged.
 */
async function moveInboxContents(session: Session, inbox: Folder, newName: string): Promise<MailChange[]> {
  return session.deps.db.transaction().execute(async (tx) => {
    const { folder: target, created } = await ensureFolderPath(tx, inbox.mailbox_id, newName);
    const current = await tx.selectFrom('folders').select(['uidnext', 'highest_modseq']).where('id', '=', inbox.id).executeTakeFirstOrThrow();
    const uids = (await tx.selectFrom('messages').select('uid').where('folder_id', '=', inbox.id).execute()).map((r) => Number(r.uid));
    const modseq = Number(current.highest_modseq) + 1;
    await tx.updateTable('messages').set({ folder_id: target.id }).where('folder_id', '=', inbox.id).execute();
    await tx.updateTable('private_seen').set({ folder_id: target.id }).where('folder_id', '=', inbox.id).execute();
    await tx.updateTable('folders').set({ uidnext: current.uidnext, highest_modseq: modseq }).where('id', '=', target.id).execute();
    await tx.updateTable('folders').set({ highest_modseq: modseq }).where('id', '=', inbox.id).execute();
    const changes: MailChange[] = created.map((f) => folderChange('folder-created', f));
    if (uids.length > 0) changes.push({ kind: 'expunged', mailboxId: inbox.mailbox_id, folderId: inbox.id, uids, modseq });
    return changes;
  });
}

function folderChange(kind: 'folder-created' | 'folder-renamed' | 'folder-deleted', folder: Pick<Folder, 'id' | 'mailbox_id' | 'name'>): MailChange {
  return { kind, mailboxId: folder.mailbox_id, folderId: folder.id, name: folder.name };
}
