import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountLocked, Unauthenticated } from '../../../core/errors.js';
import type { Principal } from '../../../directory/accounts.js';
import type { CredentialCache } from '../../../directory/credential-cache.js';

export const davRealm = 'Mailroom';

export type DavSignIn = { readonly principal: Principal } | { readonly status: 401 | 403; readonly message: string };

/**
 * HTTP Basic (RFC 7617) with the account's address and password, checked through the same
 * credential cache as the mail protocols: a blocked account or a changed password applies to the
 * next request. Calendar clients know Basic; bearer tokens are for the API.
 */
export async function davSignIn(credentials: CredentialCache, request: FastifyRequest): Promise<DavSignIn> {
  const header = request.headers.authorization ?? '';
  const [scheme, value] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'basic' || !value) return { status: 401, message: 'Sign in with your email address and password.' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { status: 401, message: 'Sign in with your email address and password.' };
  try {
    return { principal: await credentials.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1)) };
  } catch (err) {
    if (err instanceof AccountLocked) return { status: 403, message: err.message };
    if (err instanceof Unauthenticated) return { status: 401, message: err.message };
    throw err;
  }
}

/** The challenge every 401 carries, so clients ask for a password (RFC 9110 §11.6.1). */
export function challenge(reply: FastifyReply): FastifyReply {
  return reply.header('WWW-Authenticate', `Basic realm="${davRealm}", charset="UTF-8"`);
}
