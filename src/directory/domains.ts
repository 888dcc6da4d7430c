import type { Kysely } from 'kysely';
import { normalizeDomain } from '../core/address.js';
import { Conflict, InvalidInput, NotFound } from '../core/errors.js';
import { nowIso } from '../core/ids.js';
import { messages } from '../core/messages.js';
import type { Database } from '../store/sql/schema.js';

export interface AcceptedDomain { name: string; isDefault: boolean; createdAt: string }

type Db = Kysely<Database>;

export async function listDomains(db: Db): Promise<AcceptedDomain[]> {
  const rows = await db.selectFrom('domains').selectAll().orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, isDefault: r.is_default === 1, createdAt: r.created_at }));
}

export async function isAcceptedDomain(db: Db, domain: string): Promise<boolean> {
  const row = await db.selectFrom('domains').select('name').where('name', '=', domain.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}

export async function defaultDomain(db: Db): Promise<string> {
  const row = await db.selectFrom('domains').select('name').where('is_default', '=', 1).executeTakeFirst();
  if (!row) throw new NotFound('The organization has no default domain.');
  return row.name;
}

export async function addDomain(db: Db, input: string, makeDefault = false): Promise<AcceptedDomain> {
  const name = normalizeDomain(input);
  if (await isAcceptedDomain(db, name)) throw new Conflict(`The domain "${name}" is already an accepted domain.`, 'conflict', 'domain');
  const first = (await db.selectFrom('domains').select('name').limit(1).execute()).length === 0;
  const isDefault = first || makeDefault;
  if (isDefault) await db.updateTable('domains').set({ is_default: 0 }).execute();
  const createdAt = nowIso();
  await db.insertInto('domains').values({ name, is_default: isDefault ? 1 : 0, created_at: createdAt }).execute();
  return { name, isDefault, createdAt };
}

export async function setDefaultDomain(db: Db, input: string): Promise<void> {
  const name = normalizeDomain(input);
  if (!(await isAcceptedDomain(db, name))) throw new NotFound(messages.unknownDomain(name));
  await db.updateTable('domains').set({ is_default: 0 }).execute();
  await db.updateTable('domains').set({ is_default: 1 }).where('name', '=', name).execute();
}

export async function removeDomain(db: Db, input: string): Promise<void> {
  const name = normalizeDomain(input);
  const row = await db.selectFrom('domains').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw new NotFound(messages.unknownDomain(name));
  if (row.is_default === 1) {
    throw new InvalidInput(`"${name}" is the default domain. Make another domain the default before removing it.`, 'domain');
  }
  const inUse = await db.selectFrom('addresses').select((eb) => eb.fn.countAll<number>().as('n')).where('domain', '=', name).executeTakeFirstOrThrow();
  if (Number(inUse.n) > 0) {
    throw new Conflict(`The domain "${name}" is still used by ${inUse.n} address(es). Remove or change those addresses first.`, 'conflict', 'domain');
  }
  await db.deleteFrom('domains').where('name', '=', name).execute();
}
