import type { Kysely } from 'kysely';
import { nowIso } from '../core/ids.js';
import type { Database, MailboxRight } from '../store/sql/schema.js';
import { enclosingGroupIds } from './groups.js';
import { getRecipientById, type Recipient } from './recipients.js';

type Db = Kysely<Database>;

export const allMailboxRights: readonly MailboxRight[] = ['FullAccess', 'SendAs', 'SendOnBehalf', 'ReadOnly', 'NoDelete'];

/** The grants that open a mailbox, strongest first. */
export const openingRights: readonly MailboxRight[] = ['FullAccess', 'NoDelete', 'ReadOnly'];

/** How far a principal may act in a mailbox's folders (before any folder ACL, see store/mail/folder-acl.ts). */
export type MailboxAccessLevel = 'owner' | 'full' | 'no-delete' | 'read-only';

const levelOfRight: Partial<Record<MailboxRight, MailboxAccessLevel>> = { FullAccess: 'full', NoDelete: 'no-delete', ReadOnly: 'read-only' };

/** The strongest opening right among `rights`, as an access level; null when none opens the mailbox. */
export function accessLevelOf(rights: readonly MailboxRight[]): MailboxAccessLevel | null {
  const strongest = openingRights.find((r) => rights.includes(r));
  return strongest === undefined ? null : levelOfRight[strongest]!;
}

export interface Grant {
  readonly trustee: Recipient;
  readonly right: MailboxRight;
  readonly automap: boolean;
  readonly createdAt: string;
}

export async function listGrants(db: Db, mailboxId: string): Promise<Grant[]> {
  const rows = await db.selectFrom('grants').selectAll().where('mailbox_id', '=', mailboxId).orderBy('created_at').execute();
  const grants: Grant[] = [];
  for (const row of rows) {
    const trustee = await getRecipientById(db, row.trustee_id);
    if (trustee) grants.push({ trustee, right: row.mailbox_right, automap: row.automap === 1, createdAt: row.created_at });
  }
  return grants;
}

/** Adds a grant, or updates its automapping flag when it exists. Returns whether anything changed. */
export async function putGrant(db: Db, mailboxId: string, trusteeId: string, right: MailboxRight, automap: boolean): Promise<boolean> {
  const existing = await db.selectFrom('grants').select('automap')
    .where('mailbox_id', '=', mailboxId).where('trustee_id', '=', trusteeId).where('mailbox_right', '=', right).executeTakeFirst();
  const flag = openingRights.includes(right) && automap ? 1 : 0;
  if (existing) {
    if (existing.automap === flag) return false;
    await db.updateTable('grants').set({ automap: flag })
      .where('mailbox_id', '=', mailboxId).where('trustee_id', '=', trusteeId).where('mailbox_right', '=', right).execute();
    return true;
  }
  await db.insertInto('grants').values({ mailbox_id: mailboxId, trustee_id: trusteeId, mailbox_right: right, automap: flag, created_at: nowIso() }).execute();
  return true;
}

export async function deleteGrant(db: Db, mailboxId: string, trusteeId: string, right: MailboxRight): Promise<boolean> {
  const result = await db.deleteFrom('grants')
    .where('mailbox_id', '=', mailboxId).where('trustee_id', '=', trusteeId).where('mailbox_right', '=', right).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface MailboxAccess {
  readonly mailboxId: string;
  readonly rights: MailboxRight[];
  /** True when an opening grant (FullAccess, NoDelete, ReadOnly) with automapping reaches the user (directly or through a group). */
  readonly automap: boolean;
  /** How each right reaches the user: "direct" or the group's primary address. */
  readonly via: string[];
}

/**
 * The mailboxes a user may act on and with which rights, computed now from direct grants
 * and grants to every security group that contains the user (nested). Nothing is cached,
 * so a grant or a group membership change takes effect on the next call.
 */
export async function mailboxAccessFor(db: Db, userId: string): Promise<MailboxAccess[]> {
  const groups = await enclosingGroupIds(db, userId);
  const trustees = [userId, ...groups];
  const rows = await db.selectFrom('grants').innerJoin('recipients', 'recipients.id', 'grants.trustee_id')
    .select(['grants.mailbox_id', 'grants.mailbox_right', 'grants.automap', 'grants.trustee_id', 'recipients.primary_address', 'recipients.kind'])
    .where('grants.trustee_id', 'in', trustees).execute();
  const byMailbox = new Map<string, { rights: Set<MailboxRight>; automap: boolean; via: Set<string> }>();
  for (const row of rows) {
    // Only security groups carry permissions to their members (Exchange semantics).
    if (row.trustee_id !== userId && row.kind !== 'security') continue;
    const entry = byMailbox.get(row.mailbox_id) ?? { rights: new Set(), automap: false, via: new Set() };
    entry.rights.add(row.mailbox_right);
    if (openingRights.includes(row.mailbox_right) && row.automap === 1) entry.automap = true;
    entry.via.add(row.trustee_id === userId ? 'direct' : row.primary_address);
    byMailbox.set(row.mailbox_id, entry);
  }
  return [...byMailbox].map(([mailboxId, e]) => ({
    mailboxId,
    rights: allMailboxRights.filter((r) => e.rights.has(r)),
    automap: e.automap,
    via: [...e.via].sort(),
  }));
}

/** The principal's access level on a mailbox now: its owner, an opening grant, or null (no access). */
export async function mailboxAccessLevel(db: Db, userId: string, mailboxId: string): Promise<MailboxAccessLevel | null> {
  if (userId === mailboxId) return 'owner';
  const access = (await mailboxAccessFor(db, userId)).find((a) => a.mailboxId === mailboxId);
  return access ? accessLevelOf(access.rights) : null;
}

export async function hasMailboxRight(db: Db, userId: string, mailboxId: string, right: MailboxRight): Promise<boolean> {
  const access = await mailboxAccessFor(db, userId);
  return access.some((a) => a.mailboxId === mailboxId && a.rights.includes(right));
}
