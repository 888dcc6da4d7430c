import { enclosingGroupIds } from '../../directory/groups.js';
import type { ResolvedFolder } from './mailbox-paths.js';
import { ALL_RIGHTS, rightsForLevel } from './rights.js';
import type { Session } from './session.js';

/**
 * The RFC 4314 rights a session holds on one folder. The mailbox's owner holds all of them,
 * always (no ACL can lock an owner out). A delegate holds what the grant's level gives
 * (rights.ts), unless the folder's ACL names the delegate, a security group containing the
 * delegate, or "anyone": then the union of those entries applies to that folder instead.
 */
export async function effectiveRights(session: Session, resolved: ResolvedFolder, folderId: string): Promise<string> {
  const principal = session.principal;
  if (!principal) return '';
  if (resolved.level === 'owner' && !resolved.delegated) return ALL_RIGHTS;
  const identifiers = [principal.id, 'anyone', ...(await enclosingGroupIds(session.deps.db, principal.id))];
  const entries = await session.deps.db.selectFrom('folder_acl').select('rights')
    .where('folder_id', '=', folderId).where('identifier', 'in', identifiers).execute();
  if (entries.length === 0) return rightsForLevel(resolved.level);
  const held = new Set(entries.flatMap((e) => [...e.rights]));
  return [...ALL_RIGHTS].filter((r) => held.has(r)).join('');
}
