import { findFolder, listFolders, type Folder } from '../../store/mail/folders.js';
import { effectiveRights } from './folder-rights.js';
import { DELIMITER, type ResolvedFolder } from './mailbox-paths.js';
import { ALL_RIGHTS, rightsForLevel } from './rights.js';
import type { Session } from './session.js';

/** The folder's superior names, nearest first ("A/B/C" → "A/B", "A"). */
export function ancestorsOf(folderName: string): string[] {
  const parts = folderName.split(DELIMITER);
  const out: string[] = [];
  for (let depth = parts.length - 1; depth >= 1; depth--) out.push(parts.slice(0, depth).join(DELIMITER));
  return out;
}

/**
 * RFC 4314 §4: CREATE (and RENAME's destination) needs "k" on the parent. The parent is the
 * nearest existing superior folder; a top-level name's parent is the mailbox itself, on which a
 * delegate holds the rights of the grant's level.
 */
export async function rightsOnParent(session: Session, resolved: ResolvedFolder, folderName: string): Promise<string> {
  for (const name of ancestorsOf(folderName)) {
    const folder = await findFolder(session.deps.db, resolved.mailboxId, name);
    if (folder) return effectiveRights(session, resolved, folder.id);
  }
  return resolved.level === 'owner' && !resolved.delegated ? ALL_RIGHTS : rightsForLevel(resolved.level);
}

/** The folders under `folderName` (not itself). */
export async function childrenOf(session: Session, mailboxId: string, folderName: string): Promise<Folder[]> {
  const prefix = `${folderName}${DELIMITER}`;
  const rows = await listFolders(session.deps.db, mailboxId);
  return rows.filter((f) => f.name.startsWith(prefix));
}

/** RFC 3501 §6.3.3: a trailing delimiter only says the client means to create inferior names. */
export const withoutTrailingDelimiter = (name: string): string =>
  name.endsWith(DELIMITER) && name.length > 1 ? name.slice(0, -DELIMITER.length) : name;
