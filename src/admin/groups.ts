import { InvalidInput } from '../core/errors.js';
import { addGroupMember, removeGroupMember } from '../directory/groups.js';
import { createRecipient, listRecipients, removeRecipient, requireRecipient, type Recipient } from '../directory/recipients.js';
import { changeAudited, requireAdmin, type AdminContext } from './context.js';
import { groupView, type GroupView } from './views.js';

export type GroupType = 'distribution' | 'security';
const groupKinds = ['distribution', 'security'] as const;

export interface NewGroup { address: string; displayName: string; type: GroupType; mailEnabled?: boolean }

export async function addGroup(ctx: AdminContext, input: NewGroup): Promise<GroupView> {
  requireAdmin(ctx.actor, 'recipients');
  if (!groupKinds.includes(input.type)) throw new InvalidInput(`A group is "distribution" or "security", not "${String(input.type)}".`, 'type');
  if (input.type === 'distribution' && input.mailEnabled === false) throw new InvalidInput('A distribution group is always mail-enabled.', 'mailEnabled');
  return changeAudited(ctx, async (tx, audit) => {
    const group = await createRecipient(tx, { kind: input.type, displayName: input.displayName, address: input.address, mailEnabled: input.mailEnabled ?? true });
    const view = await groupView(tx, group);
    await audit({ action: 'group.add', target: group.primaryAddress, after: view });
    return view;
  });
}

export async function listGroups(ctx: AdminContext, search?: string): Promise<GroupView[]> {
  requireAdmin(ctx.actor, 'recipients');
  const groups = await listRecipients(ctx.db, { kinds: groupKinds, ...(search ? { search } : {}) });
  return Promise.all(groups.map((g) => groupView(ctx.db, g)));
}

export async function showGroup(ctx: AdminContext, address: string): Promise<GroupView> {
  requireAdmin(ctx.actor, 'recipients');
  return groupView(ctx.db, await requireRecipient(ctx.db, address, groupKinds));
}

export async function removeGroup(ctx: AdminContext, address: string): Promise<void> {
  requireAdmin(ctx.actor, 'recipients');
  await changeAudited(ctx, async (tx, audit) => {
    const group = await requireRecipient(tx, address, groupKinds);
    const before = await groupView(tx, group);
    await removeRecipient(tx, group.id);
    await audit({ action: 'group.remove', target: group.primaryAddress, before });
  });
}

/** Adds or removes members; every identifier is resolved before anything changes. */
export async function changeGroupMembers(ctx: AdminContext, address: string, identifiers: readonly string[], change: 'add' | 'remove'): Promise<GroupView> {
  requireAdmin(ctx.actor, 'recipients');
  if (identifiers.length === 0) throw new InvalidInput('Give at least one member.', 'members');
  return changeAudited(ctx, async (tx, audit) => {
    const group = await requireRecipient(tx, address, groupKinds);
    const members: Recipient[] = [];
    for (const identifier of identifiers) members.push(await requireRecipient(tx, identifier));
    for (const member of members) {
      if (change === 'add') {
        if (await addGroupMember(tx, group, member)) await audit({ action: 'group.member.add', target: group.primaryAddress, after: { member: member.primaryAddress } });
      } else {
        await removeGroupMember(tx, group, member);
        await audit({ action: 'group.member.remove', target: group.primaryAddress, before: { member: member.primaryAddress } });
      }
    }
    return groupView(tx, group);
  });
}
