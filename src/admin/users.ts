import { parseAddress } from '../core/address.js';
import { Forbidden, InvalidInput } from '../core/errors.js';
import { messages } from '../core/messages.js';
import {
  allRoles, assertPasswordAcceptable, createAccount, getAccountState, hashPassword, holdersOfRole, setPasswordHash, setRoles, setSignInBlocked,
} from '../directory/accounts.js';
import { createDefaultSettings } from '../directory/mailbox-settings.js';
import { createRecipient, listRecipients, removeRecipient, requireRecipient, type Recipient } from '../directory/recipients.js';
import type { Role } from '../store/sql/schema.js';
import { releaseMailboxBlobs } from '../store/mail/mailbox-removal.js';
import { changeAudited, requireAdmin, type AdminContext, type Tx } from './context.js';
import { accountView, type AccountView } from './views.js';

const accountKinds = ['user', 'shared'] as const;

export function parseRole(input: string): Role {
  const role = allRoles.find((r) => r === input);
  if (!role) throw new InvalidInput(`Unknown role "${input}". Roles: ${allRoles.join(', ')}.`, 'role');
  return role;
}

export interface NewUser { address: string; displayName: string; password: string; roles?: readonly Role[] }

export async function addUser(ctx: AdminContext, input: NewUser): Promise<AccountView> {
  requireAdmin(ctx.actor, input.roles && input.roles.length > 0 ? 'organization' : 'recipients');
  parseAddress(input.address);
  assertPasswordAcceptable(input.password);
  const passwordHash = await hashPassword(input.password);
  return changeAudited(ctx, async (tx, audit) => {
    const recipient = await createRecipient(tx, { kind: 'user', displayName: input.displayName, address: input.address });
    await createAccount(tx, recipient.id, passwordHash, false);
    await createDefaultSettings(tx, recipient.id);
    await setRoles(tx, recipient.id, [...new Set(input.roles ?? [])]);
    const view = await accountView(tx, recipient);
    await audit({ action: 'user.add', target: recipient.primaryAddress, after: view });
    return view;
  });
}

/** "Active users": user accounts, and shared mailbox accounts when asked (the admin center's filter). */
export async function listAccounts(ctx: AdminContext, query: { search?: string; includeShared?: boolean } = {}): Promise<AccountView[]> {
  requireAdmin(ctx.actor, 'recipients');
  const recipients = await listRecipients(ctx.db, {
    kinds: query.includeShared ? accountKinds : ['user'],
    ...(query.search ? { search: query.search } : {}),
  });
  return Promise.all(recipients.map((r) => accountView(ctx.db, r)));
}

export async function showAccount(ctx: AdminContext, address: string): Promise<AccountView> {
  requireAdmin(ctx.actor, 'recipients');
  return accountView(ctx.db, await requireRecipient(ctx.db, address, accountKinds));
}

/** An Exchange Administrator may not change the account of an administrator (Microsoft's rule, too). */
async function requireMayManageAccount(ctx: AdminContext, tx: Tx, target: Recipient): Promise<void> {
  if (ctx.actor.roles.includes('global-admin')) return;
  const state = await getAccountState(tx, target.id);
  if (state && state.roles.length > 0) throw new Forbidden(messages.permissionDenied);
}

async function assertNotLastGlobalAdmin(tx: Tx, targetIds: readonly string[]): Promise<void> {
  const holders = await holdersOfRole(tx, 'global-admin');
  if (holders.length > 0 && holders.every((id) => targetIds.includes(id))) {
    throw new InvalidInput('The organization must keep at least one Global Administrator who can sign in.', 'address');
  }
}

export async function removeAccount(ctx: AdminContext, address: string): Promise<void> {
  requireAdmin(ctx.actor, 'recipients');
  await changeAudited(ctx, async (tx, audit) => {
    const target = await requireRecipient(tx, address, ['user']);
    await requireMayManageAccount(ctx, tx, target);
    await assertNotLastGlobalAdmin(tx, [target.id]);
    const before = await accountView(tx, target);
    await releaseMailboxBlobs(tx, target.id);
    await removeRecipient(tx, target.id);
    await audit({ action: 'user.remove', target: target.primaryAddress, before });
  });
}

export interface SignInChange { address: string; signInBlocked: boolean; changed: boolean; sharedMailbox: boolean }

/**
 * Blocks or unblocks sign-in for many accounts at once. Every address is checked before
 * anything changes: one unknown address refuses the whole request.
 */
export async function setSignIn(ctx: AdminContext, addresses: readonly string[], blocked: boolean): Promise<SignInChange[]> {
  requireAdmin(ctx.actor, 'recipients');
  if (addresses.length === 0) throw new InvalidInput('Give at least one account.', 'addresses');
  return changeAudited(ctx, async (tx, audit) => {
    const targets: Recipient[] = [];
    for (const address of addresses) {
      const target = await requireRecipient(tx, address, accountKinds);
      await requireMayManageAccount(ctx, tx, target);
      if (!targets.some((t) => t.id === target.id)) targets.push(target);
    }
    if (blocked) await assertNotLastGlobalAdmin(tx, targets.map((t) => t.id));
    const results: SignInChange[] = [];
    for (const target of targets) {
      const before = await getAccountState(tx, target.id);
      const changed = before?.signInBlocked !== blocked;
      if (changed) {
        await setSignInBlocked(tx, target.id, blocked);
        await audit({ action: blocked ? 'user.block' : 'user.unblock', target: target.primaryAddress, before: { signInBlocked: before?.signInBlocked }, after: { signInBlocked: blocked } });
      }
      results.push({ address: target.primaryAddress, signInBlocked: blocked, changed, sharedMailbox: target.kind === 'shared' });
    }
    return results;
  });
}

/** Resets a password. For a shared mailbox the account stays blocked: a reset never unblocks. */
export async function resetPassword(ctx: AdminContext, address: string, password: string): Promise<AccountView> {
  requireAdmin(ctx.actor, 'recipients');
  assertPasswordAcceptable(password);
  const passwordHash = await hashPassword(password);
  return changeAudited(ctx, async (tx, audit) => {
    const target = await requireRecipient(tx, address, accountKinds);
    await requireMayManageAccount(ctx, tx, target);
    await setPasswordHash(tx, target.id, passwordHash);
    await audit({ action: 'user.set-password', target: target.primaryAddress });
    return accountView(tx, target);
  });
}

export async function assignRoles(ctx: AdminContext, address: string, roles: readonly Role[]): Promise<AccountView> {
  requireAdmin(ctx.actor, 'organization');
  return changeAudited(ctx, async (tx, audit) => {
    const target = await requireRecipient(tx, address, ['user']);
    const before = await getAccountState(tx, target.id);
    if (before?.roles.includes('global-admin') && !roles.includes('global-admin')) await assertNotLastGlobalAdmin(tx, [target.id]);
    await setRoles(tx, target.id, [...new Set(roles)]);
    const view = await accountView(tx, target);
    await audit({ action: 'user.set-roles', target: target.primaryAddress, before: { roles: before?.roles ?? [] }, after: { roles: view.roles } });
    return view;
  });
}
