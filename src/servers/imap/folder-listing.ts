import { enclosingGroupIds } from '../../directory/groups.js';
import { accessLevelOf, mailboxAccessFor } from '../../directory/grants.js';
import { getRecipientById, isMailboxKind } from '../../directory/recipients.js';
import { ensureDefaultFolders, listFolders } from '../../store/mail/folders.js';
import { effectiveRights } from './folder-rights.js';
import { DELIMITER, SHARED_ROOT, sharedName, type ResolvedFolder } from './mailbox-paths.js';
import type { Session } from './session.js';

/** A name LIST can show, with what its attributes are computed from. */
export interface ListedMailbox {
  readonly name: string;
  readonly selectable: boolean;
  /** RFC 6154 role; only the personal namespace's folders carry one (a shared Sent Items is not the user's). */
  readonly specialUse: string | null;
  /** Personal folders and automapped shared folders are subscribed unless unsubscribed (subscriptions.ts). */
  readonly subscribedByDefault: boolean;
  /** Set for selectable names. */
  readonly resolved: ResolvedFolder | null;
}

/**
 * Every name the session can see now: the personal namespace's folders, then "Shared", and for
 * each shared mailbox the user may open with automapping on (directly or through a security
 * group), "Shared/<address>" and its folders. Grants are read now, so a removed grant removes
 * the names at the next LIST. A grant without automapping lists nothing; its folders still open
 * by name. Folders a folder ACL hides (no "l" right, RFC 4314 §4) are left out.
 */
export async function visibleMailboxes(session: Session): Promise<ListedMailbox[]> {
  const { principal, home } = session;
  if (!principal || !home) return [];
  const db = session.deps.db;
  const out: ListedMailbox[] = [];
  // Read once for the whole listing: every delegated folder's rights depend on them.
  const groups = await enclosingGroupIds(db, principal.id);
  const homeLevel = home.delegated ? (await session.resolve('INBOX'))?.level ?? null : 'owner';
  if (homeLevel !== null) {
    await ensureDefaultFolders(db, home.id);
    for (const folder of await listFolders(db, home.id)) {
      const resolved: ResolvedFolder = {
        mailboxId: home.id, mailboxAddress: home.address, folderName: folder.name, imapName: folder.name, level: homeLevel, delegated: home.delegated,
      };
      if (home.delegated && !(await effectiveRights(session, resolved, folder.id, groups)).includes('l')) continue;
      out.push({ name: folder.name, selectable: true, specialUse: folder.special_use, subscribedByDefault: true, resolved });
    }
  }
  // A delegated login shows the one shared mailbox it opened, as its own.
  if (home.delegated) return out;

  const shared: ListedMailbox[] = [];
  const accesses = (await mailboxAccessFor(db, principal.id)).filter((a) => a.automap && accessLevelOf(a.rights) !== null && a.mailboxId !== principal.id);
  for (const access of accesses) {
    const mailbox = await getRecipientById(db, access.mailboxId);
    if (!mailbox || !isMailboxKind(mailbox.kind)) continue;
    const level = accessLevelOf(access.rights)!;
    await ensureDefaultFolders(db, mailbox.id);
    const address = mailbox.primaryAddress;
    shared.push({ name: `${SHARED_ROOT}${DELIMITER}${address}`, selectable: false, specialUse: null, subscribedByDefault: true, resolved: null });
    for (const folder of await listFolders(db, mailbox.id)) {
      const resolved: ResolvedFolder = {
        mailboxId: mailbox.id, mailboxAddress: address, folderName: folder.name, imapName: sharedName(address, folder.name), level, delegated: true,
      };
      if (!(await effectiveRights(session, resolved, folder.id, groups)).includes('l')) continue;
      shared.push({ name: resolved.imapName, selectable: true, specialUse: null, subscribedByDefault: true, resolved });
    }
  }
  if (shared.length > 0) out.push({ name: SHARED_ROOT, selectable: false, specialUse: null, subscribedByDefault: true, resolved: null }, ...shared);
  return out;
}

/** Whether `name` has children among `names` (RFC 3348 \HasChildren). */
export function hasChildren(name: string, names: ReadonlySet<string> | readonly string[]): boolean {
  const prefix = `${name}${DELIMITER}`;
  for (const other of names) if (other.startsWith(prefix)) return true;
  return false;
}

/**
 * RFC 3501 §6.3.8: the reference and the pattern combine into one canonical pattern, in which
 * "*" matches anything and "%" anything but the delimiter. INBOX matches case-insensitively.
 */
export function namePattern(reference: string, pattern: string): (name: string) => boolean {
  const canonical = pattern.startsWith(DELIMITER) || reference === '' ? pattern : `${reference}${pattern}`;
  const source = [...canonical].map((ch) => (ch === '*' ? '.*' : ch === '%' ? '[^/]*' : ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  const exact = new RegExp(`^${source}$`, 's');
  const inbox = new RegExp(`^${source}$`, 'is');
  return (name) => exact.test(name) || (name.toUpperCase().startsWith('INBOX') && inbox.test(name) && /^inbox(\/|$)/i.test(name));
}
