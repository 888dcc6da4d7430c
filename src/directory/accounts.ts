import type { Kysely } from 'kysely';
import { AccountLocked, InvalidInput, Unauthenticated } from '../core/errors.js';
import { nowIso } from '../core/ids.js';
import { messages } from '../core/messages.js';
import type { Database, Role } from '../store/sql/schema.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { findRecipient, isMailboxKind, type Recipient } from './recipients.js';

type Db = Kysely<Database>;

export const allRoles: readonly Role[] = ['global-admin', 'exchange-admin'];

export interface AccountState { signInBlocked: boolean; roles: Role[]; passwordChangedAt: string }

/** The signed-in principal: who acts, for authorization and the audit log. */
export interface Principal {
  readonly id: string;
  readonly address: string;
  readonly displayName: string;
  readonly kind: Recipient['kind'];
  readonly roles: readonly Role[];
}

export function assertPasswordAcceptable(password: string): void {
  // NIST SP 800-63B §5.1.1: at least 8 characters; no composition rules. The upper bound keeps scrypt input sane.
  if (password.length < 8 || password.length > 256) throw new InvalidInput('A password must be 8 to 256 characters long.', 'password');
}

export async function createAccount(db: Db, recipientId: string, passwordHash: string, signInBlocked: boolean): Promise<void> {
  await db.insertInto('accounts').values({
    recipient_id: recipientId,
    password_hash: passwordHash,
    sign_in_blocked: signInBlocked ? 1 : 0,
    password_changed_at: nowIso(),
  }).execute();
}

export async function getAccountState(db: Db, recipientId: string): Promise<AccountState | undefined> {
  const account = await db.selectFrom('accounts').selectAll().where('recipient_id', '=', recipientId).executeTakeFirst();
  if (!account) return undefined;
  return { signInBlocked: account.sign_in_blocked === 1, roles: await getRoles(db, recipientId), passwordChangedAt: account.password_changed_at };
}

export async function getRoles(db: Db, recipientId: string): Promise<Role[]> {
  const rows = await db.selectFrom('roles').select('role').where('recipient_id', '=', recipientId).orderBy('role').execute();
  return rows.map((r) => r.role);
}

export async function setRoles(db: Db, recipientId: string, roles: readonly Role[]): Promise<void> {
  await db.deleteFrom('roles').where('recipient_id', '=', recipientId).execute();
  if (roles.length > 0) await db.insertInto('roles').values(roles.map((role) => ({ recipient_id: recipientId, role }))).execute();
}

/** Recipient ids holding a role, for "the last Global Administrator" checks. */
export async function holdersOfRole(db: Db, role: Role): Promise<string[]> {
  const rows = await db.selectFrom('roles').innerJoin('accounts', 'accounts.recipient_id', 'roles.recipient_id')
    .select('roles.recipient_id').where('roles.role', '=', role).where('accounts.sign_in_blocked', '=', 0).execute();
  return rows.map((r) => r.recipient_id);
}

export async function setPasswordHash(db: Db, recipientId: string, passwordHash: string): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: passwordHash, password_changed_at: nowIso() }).where('recipient_id', '=', recipientId).execute();
  // A new password ends every API session that used the old one.
  await db.deleteFrom('api_tokens').where('recipient_id', '=', recipientId).execute();
}

export async function setSignInBlocked(db: Db, recipientId: string, blocked: boolean): Promise<void> {
  await db.updateTable('accounts').set({ sign_in_blocked: blocked ? 1 : 0 }).where('recipient_id', '=', recipientId).execute();
  // While blocked, old tokens are refused with the locked message; unblocking does not revive them.
  if (!blocked) await db.deleteFrom('api_tokens').where('recipient_id', '=', recipientId).execute();
}

export function toPrincipal(recipient: Recipient, roles: readonly Role[]): Principal {
  return { id: recipient.id, address: recipient.primaryAddress, displayName: recipient.displayName, kind: recipient.kind, roles };
}

/**
 * Verifies an address and password. Every protocol signs in through here, so a blocked
 * account is refused everywhere with the same words. The password is checked first so
 * that the locked message does not reveal which addresses exist.
 */
export async function authenticate(db: Db, address: string, password: string): Promise<Principal> {
  const recipient = await findRecipient(db, address);
  const account = recipient && isMailboxKind(recipient.kind)
    ? await db.selectFrom('accounts').selectAll().where('recipient_id', '=', recipient.id).executeTakeFirst()
    : undefined;
  if (!recipient || !account || !(await verifyPassword(password, account.password_hash))) {
    throw new Unauthenticated(messages.badCredentials);
  }
  if (account.sign_in_blocked === 1) throw new AccountLocked(messages.accountLocked);
  return toPrincipal(recipient, await getRoles(db, recipient.id));
}

export { hashPassword };
