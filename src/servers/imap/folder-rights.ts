import { enclosingGroupIds } from '../../directory/groups.js';
import type { ResolvedFolder } from './mailbox-paths.js';
import { ALL_RIGHTS, rightsForLevel } from './rights.js';
import type { Session } from './session.js';

/**
 * The RFC 4314 rights a session holds on one folder. The mailbox's owner holds all of them,
 * always (no ACL can lock an owner out). A delegate's own rights are the folder's ACL entry for
 * the delegate, else the union of the entries of the security groups containing the delegate,
 * else what the grant's level gives (rights.ts); RFC 4314 §2: the "anyone" entry adds to them
 * (so SETACL anyone never takes a member's rights away).
 */
export async function effectiveRights(
  session: Session, resolved: ResolvedFolder, folderId: string,
  /** The principal's security groups, when the caller already has them (LIST asks for every folder). */
  knownGroups?: ReadonlySet<string>,
): Promise<string> {
  const principal = session.principal;
  if (!principal) return '';
  if (resolved.level === 'owner' && !resolved.delegated) return ALL_RIGHTS;
  const groups = [...(knownGroups ?? await enclosingGroupIds(session.deps.db, principal.id))];
  const entries = await session.deps.db.selectFrom('folder_acl').select(['identifier', 'rights'])
    .where('folder_id', '=', folderId).where('identifier', 'in', [principal.id, 'anyone', ...groups]).execute();
  const own = entries.find((e) => e.identifier === principal.id);
  const groupEntries = entries.filter((e) => e.identifier !== principal.id && e.identifier !== 'anyone');
  const base = own ? own.rights
    : groupEntries.length > 0 ? groupEntries.map((e) => e.rights).join('')
      : rightsForLevel(resolved.level);
  const held = new Set([...base, ...(entries.find((e) => e.identifier === 'anyone')?.rights ?? '')]);
  return [...ALL_RIGHTS].filter((r) => held.has(r)).join('');
}
