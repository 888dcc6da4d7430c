import type { Kysely } from 'kysely';
import { Conflict, InvalidInput, NotFound } from '../core/errors.js';
import type { Database } from '../store/sql/schema.js';
import { getRecipientById, type Recipient } from './recipients.js';

type Db = Kysely<Database>;

export async function directMemberIds(db: Db, groupId: string): Promise<string[]> {
  const rows = await db.selectFrom('group_members').select('member_id').where('group_id', '=', groupId).execute();
  return rows.map((r) => r.member_id);
}

export async function listGroupMembers(db: Db, groupId: string): Promise<Recipient[]> {
  const members = await Promise.all((await directMemberIds(db, groupId)).map((id) => getRecipientById(db, id)));
  return members.filter((m): m is Recipient => m !== undefined).sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export async function addGroupMember(db: Db, group: Recipient, member: Recipient): Promise<boolean> {
  if (group.id === member.id) throw new InvalidInput(`A group can't be a member of itself.`, 'member');
  // Exchange: a security group holds users and security groups only (its members receive its permissions).
  if (group.kind === 'security' && member.kind !== 'user' && member.kind !== 'security') {
    throw new InvalidInput(`"${member.displayName}" can't be added to the security group "${group.displayName}": only users and security groups can be members of a security group.`, 'member');
  }
  const existing = await db.selectFrom('group_members').select('member_id')
    .where('group_id', '=', group.id).where('member_id', '=', member.id).executeTakeFirst();
  if (existing) return false;
  await db.insertInto('group_members').values({ group_id: group.id, member_id: member.id }).execute();
  return true;
}

export async function removeGroupMember(db: Db, group: Recipient, member: Recipient): Promise<void> {
  const removed = await db.deleteFrom('group_members').where('group_id', '=', group.id).where('member_id', '=', member.id).executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) throw new NotFound(`"${member.primaryAddress}" is not a member of "${group.displayName}".`);
}

/**
 * Every group that contains `memberId`, directly or through nested groups. Cycles
 * (A ∈ B ∈ A) are allowed in the directory and simply stop the walk.
 */
export async function enclosingGroupIds(db: Db, memberId: string): Promise<Set<string>> {
  const seen = new Set<string>();
  let frontier = [memberId];
  while (frontier.length > 0) {
    const rows = await db.selectFrom('group_members').select('group_id').where('member_id', 'in', frontier).execute();
    frontier = [];
    for (const { group_id } of rows) {
      if (!seen.has(group_id)) {
        seen.add(group_id);
        frontier.push(group_id);
      }
    }
  }
  seen.delete(memberId);
  return seen;
}

/** Expands a group into the non-group recipients it reaches, each once, loop-safe. */
export async function expandGroup(db: Db, groupId: string): Promise<Recipient[]> {
  const visitedGroups = new Set<string>([groupId]);
  const found = new Map<string, Recipient>();
  let frontier = [groupId];
  while (frontier.length > 0) {
    const rows = await db.selectFrom('group_members').innerJoin('recipients', 'recipients.id', 'group_members.member_id')
      .select(['recipients.id', 'recipients.kind']).where('group_members.group_id', 'in', frontier).execute();
    frontier = [];
    for (const row of rows) {
      if (row.kind === 'distribution' || row.kind === 'security') {
        if (!visitedGroups.has(row.id)) {
          visitedGroups.add(row.id);
          frontier.push(row.id);
        }
      } else if (!found.has(row.id)) {
        const recipient = await getRecipientById(db, row.id);
        if (recipient) found.set(row.id, recipient);
      }
    }
  }
  return [...found.values()];
}

export function assertGroup(recipient: Recipient): void {
  if (recipient.kind !== 'distribution' && recipient.kind !== 'security') {
    throw new Conflict(`"${recipient.primaryAddress}" is not a group.`);
  }
}
