// GETACL, SETACL, DELETEACL, LISTRIGHTS and MYRIGHTS (RFC 4314 §3). Managing the ACL needs "a"
// (RFC 4314 §4); a folder the session cannot see at all is NONEXISTENT, as everywhere.
import type {
  DeleteAclCommand, GetAclCommand, ListRightsCommand, MyRightsCommand, SetAclCommand,
} from '../../../protocol/imap/index.js';
import {
  deleteFolderAcl, expandObsoleteRights, type AclIdentifier, folderAcl, folderAclEntry, grantedRights, putFolderAcl, resolveAclIdentifier,
} from '../acl-store.js';
import { ALL_RIGHTS, withObsoleteRights } from '../rights.js';
import type { Session } from '../session.js';
import { AUTHENTICATED, no, ok, type CommandHandler, type CommandResult } from '../types.js';

type Opened = NonNullable<Awaited<ReturnType<Session['openFolder']>>>;

/** The folder, when the session may administer its ACL; else the NO to answer. */
async function openForAdmin(session: Session, mailbox: string): Promise<Opened | CommandResult> {
  const opened = await session.openFolder(mailbox);
  if (!opened) return no('No such mailbox', { code: 'NONEXISTENT' });
  if (!opened.rights.includes('a')) return no('You may not administer this mailbox\'s access rights', { code: 'NOPERM' });
  return opened;
}

const isOpened = (value: Opened | CommandResult): value is Opened => 'folder' in value;

/** openForAdmin() plus the identifier the command names (SETACL, DELETEACL, LISTRIGHTS). */
async function openForIdentifier(session: Session, mailbox: string, name: string): Promise<(Opened & { identifier: AclIdentifier }) | CommandResult> {
  const opened = await openForAdmin(session, mailbox);
  if (!isOpened(opened)) return opened;
  const identifier = await resolveAclIdentifier(session.deps.db, name);
  if (!identifier) return no(`${name} is not a user, a security group or "anyone"`);
  return { ...opened, identifier };
}

export const getAcl: CommandHandler<GetAclCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const opened = await openForAdmin(session, command.mailbox);
    if (!isOpened(opened)) return opened;
    const entries = await folderAcl(session.deps.db, opened.resolved.mailboxId, opened.folder.id);
    await session.send({
      type: 'ACL',
      mailbox: opened.resolved.imapName,
      entries: [...entries].map(([identifier, rights]) => ({ identifier, rights: withObsoleteRights(rights) })),
    });
    return ok('GETACL completed');
  },
};

export const setAcl: CommandHandler<SetAclCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const opened = await openForIdentifier(session, command.mailbox, command.identifier);
    if (!isOpened(opened)) return opened;
    const { db } = session.deps;
    const { identifier } = opened;
    const asked = expandObsoleteRights(command.rights);
    if (identifier.id === opened.resolved.mailboxId) {
      // The owner always holds every right (folder-rights.ts): nothing may take one away.
      if (command.mode === 'remove' ? asked === '' : command.mode === 'add' || asked === ALL_RIGHTS) return ok('SETACL completed');
      return no('The owner\'s rights cannot be reduced', { code: 'CANNOT' });
    }
    const current = await folderAclEntry(db, opened.folder.id, identifier.id)
      ?? await grantedRights(db, opened.resolved.mailboxId, identifier);
    const next = command.mode === 'replace' ? asked
      : command.mode === 'add' ? [...ALL_RIGHTS].filter((r) => current.includes(r) || asked.includes(r)).join('')
        : [...current].filter((r) => !asked.includes(r)).join('');
    // An entry with no rights is kept: it denies what a grant would give (DELETEACL restores it).
    await putFolderAcl(db, opened.folder.id, identifier.id, next);
    await session.deps.durable();
    session.log.info({ mailbox: opened.resolved.mailboxAddress, folder: opened.folder.name, identifier: identifier.name, rights: next }, 'IMAP ACL set');
    return ok('SETACL completed');
  },
};

export const deleteAcl: CommandHandler<DeleteAclCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const opened = await openForIdentifier(session, command.mailbox, command.identifier);
    if (!isOpened(opened)) return opened;
    const { identifier } = opened;
    if (identifier.id === opened.resolved.mailboxId) return no('The owner\'s rights cannot be removed', { code: 'CANNOT' });
    // RFC 4314 §3.2: removing an entry that is not there is not an error. The grant's rights apply again.
    await deleteFolderAcl(session.deps.db, opened.folder.id, identifier.id);
    await session.deps.durable();
    session.log.info({ mailbox: opened.resolved.mailboxAddress, folder: opened.folder.name, identifier: identifier.name }, 'IMAP ACL entry deleted');
    return ok('DELETEACL completed');
  },
};

export const listRights: CommandHandler<ListRightsCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const opened = await openForIdentifier(session, command.mailbox, command.identifier);
    if (!isOpened(opened)) return opened;
    const { identifier } = opened;
    // RFC 4314 §3.4: the owner always holds every right; anyone else may be given each right on its
    // own (RIGHTS=texk: t, e, x and k are separate rights here).
    const isOwner = identifier.id === opened.resolved.mailboxId;
    await session.send({
      type: 'LISTRIGHTS',
      mailbox: opened.resolved.imapName,
      identifier: command.identifier,
      required: isOwner ? ALL_RIGHTS : '',
      optional: isOwner ? [] : [...ALL_RIGHTS],
    });
    return ok('LISTRIGHTS completed');
  },
};

export const myRights: CommandHandler<MyRightsCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    // RFC 4314 §3.5 / §4: MYRIGHTS needs any right on the mailbox.
    const opened = await session.openFolder(command.mailbox);
    if (!opened) {
      // The \Noselect nodes LIST shows ("Shared", "Shared/<address>"): they can be looked up, nothing more.
      if (await session.isVisibleNode(command.mailbox)) {
        await session.send({ type: 'MYRIGHTS', mailbox: command.mailbox, rights: 'l' });
        return ok('MYRIGHTS completed');
      }
      return no('No such mailbox', { code: 'NONEXISTENT' });
    }
    // RFC 4314 §2.1.1: "c" and "d" are reported too, for clients of RFC 2086.
    await session.send({ type: 'MYRIGHTS', mailbox: opened.resolved.imapName, rights: withObsoleteRights(opened.rights) });
    return ok('MYRIGHTS completed');
  },
};
