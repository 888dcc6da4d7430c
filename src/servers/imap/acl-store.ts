import type { Kysely } from 'kysely';
import { accessLevelOf, listGrants, mailboxAccessLevel } from '../../directory/grants.js';
import { findRecipient, getRecipientById } from '../../directory/recipients.js';
import type { Database, MailboxRight } from '../../store/sql/schema.js';
import { ALL_RIGHTS, rightsForLevel } from './rights.js';

type Db = Kysely<Database>;

/**
 * RFC 4314 identifiers as Mailroom stores them (folder_acl.identifier): a user's or security
 * group's recipient id, or "anyone". Clients see primary addresses.
 */
export type AclIdentifier =
  | { readonly kind: 'anyone'; readonly id: 'anyone'; readonly name: 'anyone' }
  | { readonly kind: 'user' | 'shared' | 'security'; readonly id: string; readonly name: string };

/** Resolves an identifier a client gave; null when it names no mailbox, security group or "anyone". */
export async function resolveAclIdentifier(db: Db, text: string): Promise<AclIdentifier | null> {
  if (text.toLowerCase() === 'anyone') return { kind: 'anyone', id: 'anyone', name: 'anyone' };
  // RFC 4314 §2: a leading "-" names negative rights, which Mailroom does not keep.
  if (text.startsWith('-')) return null;
  const recipient = await findRecipient(db, text);
  // A shared mailbox names only itself (its owner entry); its account never signs in.
  if (!recipient || recipient.kind === 'distribution') return null;
  return { kind: recipient.kind, id: recipient.id, name: recipient.primaryAddress };
}

export async function folderAclEntry(db: Db, folderId: string, identifier: string): Promise<string | null> {
  const row = await db.selectFrom('folder_acl').select('rights').where('folder_id', '=', folderId).where('identifier', '=', identifier).executeTakeFirst();
  return row?.rights ?? null;
}

export async function putFolderAcl(db: Db, folderId: string, identifier: string, rights: string): Promise<void> {
  await db.insertInto('folder_acl').values({ folder_id: folderId, identifier, rights })
    .onConflict((oc) => oc.columns(['folder_id', 'identifier']).doUpdateSet({ rights })).execute();
}

export async function deleteFolderAcl(db: Db, folderId: string, identifier: string): Promise<boolean> {
  const result = await db.deleteFrom('folder_acl').where('folder_id', '=', folderId).where('identifier', '=', identifier).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * What an identifier holds on a folder before its own ACL entry: the owner everything, a user
 * the rights of their access level (direct or through groups), a security group the rights of
 * the grants made to it, "anyone" nothing.
 */
export async function grantedRights(db: Db, mailboxId: string, identifier: AclIdentifier): Promise<string> {
  if (identifier.kind === 'anyone') return '';
  if (identifier.kind !== 'security') {
    const level = await mailboxAccessLevel(db, identifier.id, mailboxId);
    return level ? rightsForLevel(level) : '';
  }
  const rights = (await listGrants(db, mailboxId)).filter((g) => g.trustee.id === identifier.id).map((g) => g.right);
  const level = accessLevelOf(rights);
  return level ? rightsForLevel(level) : '';
}

/**
 * A folder's ACL as GETACL shows it (RFC 4314 §3.3): the owner, every delegate with an opening
 * grant (users and security groups, with their level's rights), then the folder's own entries,
 * which replace what a grant gave the same identifier.
 */
export async function folderAcl(db: Db, mailboxId: string, folderId: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const owner = await getRecipientById(db, mailboxId);
  if (owner) entries.set(owner.primaryAddress, ALL_RIGHTS);
  const byTrustee = new Map<string, { name: string; rights: MailboxRight[] }>();
  for (const grant of await listGrants(db, mailboxId)) {
    const entry = byTrustee.get(grant.trustee.id) ?? { name: grant.trustee.primaryAddress, rights: [] };
    entry.rights.push(grant.right);
    byTrustee.set(grant.trustee.id, entry);
  }
  for (const { name, rights } of byTrustee.values()) {
    const level = accessLevelOf(rights);
    if (level) entries.set(name, rightsForLevel(level));
  }
  const rows = await db.selectFrom('folder_acl').select(['identifier', 'rights']).where('folder_id', '=', folderId).execute();
  for (const row of rows) {
    if (row.identifier === 'anyone') entries.set('anyone', row.rights);
    else {
      const recipient = await getRecipientById(db, row.identifier);
      if (recipient) entries.set(recipient.primaryAddress, row.rights);
    }
  }
  return entries;
}

/** RFC 4314 §2.1.1: in SETACL, "c" stands for "k" and "d" for the delete rights "xte". */
export function expandObsoleteRights(rights: string): string {
  const expanded = rights.replace('c', 'k').replace('d', 'xte');
  return [...ALL_RIGHTS].filter((r) => expanded.includes(r)).join('');
}
