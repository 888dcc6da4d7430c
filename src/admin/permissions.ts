import { InvalidInput } from '../core/errors.js';
import { allMailboxRights, deleteGrant, mailboxAccessFor, putGrant } from '../directory/grants.js';
import { getRecipientById, isMailboxKind, requireRecipient, type Recipient } from '../directory/recipients.js';
import type { MailboxRight } from '../store/sql/schema.js';
import { changeAudited, requireAdmin, type AdminContext, type Tx } from './context.js';
import { resolveTrustee } from './trustees.js';
import { permissionViews, type PermissionView } from './views.js';

export function parseRights(input: string | readonly string[]): MailboxRight[] {
  const names = (typeof input === 'string' ? input.split(',') : input).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidInput(`Give at least one right: ${allMailboxRights.join(', ')}.`, 'rights');
  return names.map((name) => {
    const right = allMailboxRights.find((r) => r.toLowerCase() === name.toLowerCase());
    if (!right) throw new InvalidInput(`Unknown right "${name}". Rights: ${allMailboxRights.join(', ')}.`, 'rights');
    return right;
  });
}

async function requireMailbox(tx: Tx, address: string): Promise<Recipient> {
  return requireRecipient(tx, address, ['user', 'shared']);
}

export async function listPermissions(ctx: AdminContext, mailbox: string): Promise<PermissionView[]> {
  requireAdmin(ctx.actor, 'recipients');
  return permissionViews(ctx.db, (await requireMailbox(ctx.db, mailbox)).id);
}

export interface PermissionChange { mailbox: string; trustee: string; rights: MailboxRight[]; automap?: boolean }

/** Grants rights; takes effect at once (the next message or login sees it). */
export async function addPermission(ctx: AdminContext, change: PermissionChange): Promise<PermissionView[]> {
  requireAdmin(ctx.actor, 'recipients');
  return changeAudited(ctx, async (tx, audit) => {
    const mailbox = await requireMailbox(tx, change.mailbox);
    const trustee = await resolveTrustee(tx, change.trustee);
    if (trustee.id === mailbox.id) throw new InvalidInput('A mailbox already has every right on itself.', 'trustee');
    const before = await permissionViews(tx, mailbox.id);
    for (const right of change.rights) await putGrant(tx, mailbox.id, trustee.id, right, change.automap ?? true);
    const after = await permissionViews(tx, mailbox.id);
    await audit({ action: 'permission.add', target: mailbox.primaryAddress, before: pick(before, trustee), after: pick(after, trustee) });
    return after;
  });
}

export async function removePermission(ctx: AdminContext, change: PermissionChange): Promise<PermissionView[]> {
  requireAdmin(ctx.actor, 'recipients');
  return changeAudited(ctx, async (tx, audit) => {
    const mailbox = await requireMailbox(tx, change.mailbox);
    const trustee = await resolveTrustee(tx, change.trustee);
    const before = await permissionViews(tx, mailbox.id);
    let removed = 0;
    for (const right of change.rights) if (await deleteGrant(tx, mailbox.id, trustee.id, right)) removed++;
    if (removed === 0) {
      throw new InvalidInput(`"${trustee.primaryAddress}" has none of ${change.rights.join(', ')} on "${mailbox.primaryAddress}".`, 'rights');
    }
    const after = await permissionViews(tx, mailbox.id);
    await audit({ action: 'permission.remove', target: mailbox.primaryAddress, before: pick(before, trustee), after: pick(after, trustee) });
    return after;
  });
}

const pick = (views: PermissionView[], trustee: Recipient) =>
  views.find((v) => v.trustee === trustee.primaryAddress) ?? { trustee: trustee.primaryAddress, rights: [] };

export interface MailboxAccessView { mailbox: string; displayName: string; kind: Recipient['kind']; rights: MailboxRight[]; automap: boolean; via: string[] }

/** What a user can open or send as right now, through direct grants and security groups. */
export async function effectiveAccess(ctx: AdminContext, userAddress: string): Promise<MailboxAccessView[]> {
  requireAdmin(ctx.actor, 'recipients');
  const user = await requireRecipient(ctx.db, userAddress, ['user']);
  const views: MailboxAccessView[] = [];
  for (const access of await mailboxAccessFor(ctx.db, user.id)) {
    const mailbox = await getRecipientById(ctx.db, access.mailboxId);
    if (mailbox && isMailboxKind(mailbox.kind)) {
      views.push({ mailbox: mailbox.primaryAddress, displayName: mailbox.displayName, kind: mailbox.kind, rights: access.rights, automap: access.automap, via: access.via });
    }
  }
  return views.sort((a, b) => a.mailbox.localeCompare(b.mailbox));
}
