import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Kysely } from 'kysely';
import { listAuditEntries } from '../../admin/audit.js';
import { ensureOrganization } from '../../admin/bootstrap.js';
import type { AdminContext } from '../../admin/context.js';
import { addUser } from '../../admin/users.js';
import type { DomainError } from '../../core/errors.js';
import { authenticate } from '../../directory/accounts.js';
import type { AuditEntry } from '../../directory/audit-log.js';
import type { DatabaseEngine } from '../sql/database.js';
import type { Database } from '../sql/schema.js';

/** A fresh, migrated, empty database, or the reason this backend cannot run here. */
export interface OpenedStore { readonly db: Kysely<Database>; readonly engine: DatabaseEngine; close(): Promise<void> }
export type OpenStore = () => Promise<OpenedStore | { skip: string }>;

export const orgDomain = 'contoso.com';
export const adminAddress = 'admin@contoso.com';
export const adminPassword = 'Admin-pass-1';
export const GB = 1024 ** 3;

export interface Org {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  /** The Global Administrator created by the bootstrap, signed in through authenticate(). */
  readonly admin: AdminContext;
  /** Signs in through authenticate() and acts as that principal. */
  as(address: string, password: string): Promise<AdminContext>;
}

/** One test on its own fresh database, before any organization exists. */
export function storeTest(open: OpenStore, name: string, body: (db: Kysely<Database>, engine: DatabaseEngine) => Promise<void>): void {
  it(name, async (t) => {
    const store = await open();
    if ('skip' in store) {
      t.skip(store.skip);
      return;
    }
    try {
      await body(store.db, store.engine);
    } finally {
      await store.close();
    }
  });
}

/** One test on its own fresh database holding the contoso.com organization, acting as its Global Administrator. */
export function orgTest(open: OpenStore, name: string, body: (org: Org) => Promise<void>): void {
  storeTest(open, name, async (db, engine) => {
    const boot = await ensureOrganization(db, orgDomain, adminPassword);
    assert.equal(boot.created, true, 'the bootstrap creates the organization on an empty database');
    const as = async (address: string, password: string): Promise<AdminContext> => ({ db, actor: await authenticate(db, address, password) });
    await body({ db, engine, admin: await as(adminAddress, adminPassword), as });
  });
}

type ErrorClass = new (...args: never[]) => DomainError;

/** Asserts the exact error: its class and its user-facing message (text, or a pattern where the text embeds data). */
export async function assertRefusal(action: () => Promise<unknown>, type: ErrorClass, message: string | RegExp): Promise<DomainError> {
  let caught: unknown;
  try {
    await action();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught !== undefined, `expected ${type.name}: ${String(message)}, but the action succeeded`);
  assert.ok(caught instanceof type, `expected ${type.name}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  assert.equal(caught.name, type.name);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  return caught;
}

const tables: readonly (keyof Database)[] = [
  'meta', 'domains', 'recipients', 'addresses', 'accounts', 'roles', 'group_members', 'grants', 'mailbox_settings', 'api_tokens', 'audit_log',
];

/** Every row of every directory table, order-independent: two equal snapshots mean nothing changed. */
export async function snapshot(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const loose = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await loose.selectFrom(table).selectAll().execute();
    result[table] = rows.map((row) => JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)))).sort();
  }
  return result;
}

/**
 * Asserts a refusal and that nothing changed: the whole directory reads back the same,
 * and the audit log (read through the admin use case) has no new entry.
 */
export async function refused(org: Org, action: () => Promise<unknown>, type: ErrorClass, message: string | RegExp): Promise<DomainError> {
  const before = await snapshot(org.db);
  const auditBefore = await listAuditEntries(org.admin, {});
  const error = await assertRefusal(action, type, message);
  assert.deepEqual(await listAuditEntries(org.admin, {}), auditBefore, 'a refused change writes no audit entry');
  assert.deepEqual(await snapshot(org.db), before, 'a refused change leaves the directory as it was');
  return error;
}

/**
 * Runs a change and asserts it left audit entries by the admin with this action and target
 * (newest first, as listAuditEntries returns them). Returns the change's result and those entries.
 */
export async function audited<T>(org: Org, action: string, target: string, change: () => Promise<T>): Promise<{ result: T; entries: AuditEntry[] }> {
  const known = new Set((await listAuditEntries(org.admin, {})).map((e) => e.id));
  const result = await change();
  const fresh = (await listAuditEntries(org.admin, {})).filter((e) => !known.has(e.id));
  const entries = fresh.filter((e) => e.action === action && e.target === target);
  assert.ok(entries.length > 0, `expected an audit entry ${action} on ${target}; new entries: ${JSON.stringify(fresh.map((e) => [e.action, e.target]))}`);
  for (const entry of fresh) assert.equal(entry.actor, org.admin.actor.address, 'the audit names the signed-in admin as actor');
  return { result, entries };
}

/** The newest audit entry for this action and target. */
export async function lastAudit(org: Org, action: string, target: string): Promise<AuditEntry> {
  const entry = (await listAuditEntries(org.admin, { target })).find((e) => e.action === action);
  assert.ok(entry, `no audit entry ${action} on ${target}`);
  return entry;
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Bob, a user without roles; password Bob-pass-123. */
export async function addBob(org: Org): Promise<void> {
  await addUser(org.admin, { address: 'bob@contoso.com', displayName: 'Bob', password: 'Bob-pass-123' });
}

/** Users <name>@contoso.com (lower case) with password <Name>-pass-123. */
export async function addUsers(org: Org, ...names: string[]): Promise<void> {
  for (const name of names) {
    await addUser(org.admin, { address: `${name.toLowerCase()}@contoso.com`, displayName: name, password: `${name}-pass-123` });
  }
}
