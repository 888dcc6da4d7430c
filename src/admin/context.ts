import type { Kysely } from 'kysely';
import { Forbidden } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Principal } from '../directory/accounts.js';
import { recordAudit, type NewAuditEntry } from '../directory/audit-log.js';
import type { Database } from '../store/sql/schema.js';

/** Who is acting, against which database. Every admin use case takes one. */
export interface AdminContext {
  readonly db: Kysely<Database>;
  readonly actor: Principal;
  /** Resolves once committed changes are on disk; awaited before a change is reported done. */
  readonly durable?: () => Promise<void>;
}

/**
 * "recipients": recipients, mailboxes, groups, permissions (Exchange Administrator or Global Administrator).
 * "organization": accepted domains and roles (Global Administrator only).
 */
export type AdminScope = 'recipients' | 'organization';

export function isAdmin(actor: Principal, scope: AdminScope): boolean {
  if (actor.roles.includes('global-admin')) return true;
  return scope === 'recipients' && actor.roles.includes('exchange-admin');
}

export function requireAdmin(actor: Principal, scope: AdminScope): void {
  if (!isAdmin(actor, scope)) throw new Forbidden(messages.permissionDenied);
}

export type Tx = Kysely<Database>;

/**
 * Runs one admin change in a transaction and records its audit entries in the same
 * transaction: a refused change leaves neither data nor audit behind.
 */
export async function changeAudited<T>(
  ctx: AdminContext,
  change: (tx: Tx, audit: (entry: Omit<NewAuditEntry, 'actor'>) => Promise<void>) => Promise<T>,
): Promise<T> {
  const result = await ctx.db.transaction().execute(async (tx) => {
    const audit = (entry: Omit<NewAuditEntry, 'actor'>) => recordAudit(tx, { ...entry, actor: ctx.actor.address });
    return change(tx, audit);
  });
  await ctx.durable?.();
  return result;
}
