import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Unauthenticated } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import { authenticate, type Principal } from '../../directory/accounts.js';
import { principalForToken } from '../../directory/tokens.js';
import type { Database } from '../../store/sql/schema.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Who is calling: a bearer token from POST /api/v1/auth/token, or HTTP Basic
 * (RFC 7617) with address and password for scripts and curl.
 */
export async function principalOf(db: Kysely<Database>, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization ?? '';
  const [scheme, value] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer' && value) return principalForToken(db, value);
  if (scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return authenticate(db, decoded.slice(0, colon), decoded.slice(colon + 1));
  }
  throw new Unauthenticated(messages.signInRequired);
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Unauthenticated(messages.signInRequired);
  return request.principal;
}
