import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AccountLocked, Unauthenticated } from '../core/errors.js';
import { nowIso } from '../core/ids.js';
import { messages } from '../core/messages.js';
import type { Database } from '../store/sql/schema.js';
import { getRoles, toPrincipal, type Principal } from './accounts.js';
import { getRecipientById } from './recipients.js';

type Db = Kysely<Database>;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface IssuedToken { token: string; expiresAt: string }

/** Issues an opaque bearer token; only its SHA-256 is stored. */
export async function issueToken(db: Db, recipientId: string, ttlSeconds: number): Promise<IssuedToken> {
  const token = `mr_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000).toISOString();
  await db.insertInto('api_tokens').values({ token_hash: digest(token), recipient_id: recipientId, created_at: nowIso(), expires_at: expiresAt }).execute();
  await db.deleteFrom('api_tokens').where('expires_at', '<', nowIso()).execute();
  return { token, expiresAt };
}

/** Resolves a bearer token to its principal; a blocked account's tokens stop working at once. */
export async function principalForToken(db: Db, token: string): Promise<Principal> {
  const row = await db.selectFrom('api_tokens').innerJoin('accounts', 'accounts.recipient_id', 'api_tokens.recipient_id')
    .select(['api_tokens.recipient_id', 'api_tokens.expires_at', 'accounts.sign_in_blocked'])
    .where('api_tokens.token_hash', '=', digest(token)).executeTakeFirst();
  if (!row) throw new Unauthenticated(messages.signInRequired);
  if (row.expires_at < nowIso()) throw new Unauthenticated(messages.sessionExpired);
  if (row.sign_in_blocked === 1) throw new AccountLocked(messages.accountLocked);
  const recipient = await getRecipientById(db, row.recipient_id);
  if (!recipient) throw new Unauthenticated(messages.signInRequired);
  return toPrincipal(recipient, await getRoles(db, recipient.id));
}

export async function revokeToken(db: Db, token: string): Promise<void> {
  await db.deleteFrom('api_tokens').where('token_hash', '=', digest(token)).execute();
}
