import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A per-installation secret kept in the database (shared by every node), created on first use. */
export async function ensureSecret(db: Kysely<Database>, key: string): Promise<string> {
  await db.insertInto('meta').values({ key, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
