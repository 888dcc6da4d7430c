import type { Kysely } from 'kysely';
import { authenticate, type Principal } from '../directory/accounts.js';
import { recordAudit } from '../directory/audit-log.js';
import { issueToken, type IssuedToken } from '../directory/tokens.js';
import type { Database } from '../store/sql/schema.js';

export interface SignInResult extends IssuedToken { principal: Principal }

/** Signs in with address and password and issues an expiring bearer token for the API. */
export async function signIn(db: Kysely<Database>, address: string, password: string, ttlSeconds: number): Promise<SignInResult> {
  const principal = await authenticate(db, address, password);
  const token = await issueToken(db, principal.id, ttlSeconds);
  await recordAudit(db, { actor: principal.address, action: 'session.sign-in', target: principal.address });
  return { ...token, principal };
}
