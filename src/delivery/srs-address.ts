import type { Kysely } from 'kysely';
import type { Database } from '../store/sql/schema.js';
import { srsReverse } from './srs.js';

/**
 * The original sender behind an SRS0 address of ours, or null. Mail we forwarded leaves with
 * such an envelope sender, so its bounces come back to it; the hash and age checks keep the
 * address from being an open relay. Only reads the secret: with none stored, nothing was ever
 * rewritten.
 */
export async function reverseSrsAddress(db: Kysely<Database>, address: string): Promise<string | null> {
  if (!/^srs0=/i.test(address)) return null;
  const secret = await db.selectFrom('meta').select('value').where('key', '=', 'srs_secret').executeTakeFirst();
  return secret ? srsReverse(secret.value, address) : null;
}
