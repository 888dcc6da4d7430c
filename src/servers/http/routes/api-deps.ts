import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AdminContext } from '../../../admin/context.js';
import type { Database } from '../../../store/sql/schema.js';
import { requirePrincipal } from '../authentication.js';

export interface ApiDeps {
  readonly db: Kysely<Database>;
  readonly tokenTtlSeconds: number;
  readonly durable: () => Promise<void>;
}

export const adminContext = (deps: ApiDeps, request: FastifyRequest): AdminContext => ({ db: deps.db, actor: requirePrincipal(request), durable: deps.durable });

/** JSON Schema fragments shared by the routes (they validate input and document the API). */
export const schemas = {
  addressParam: {
    type: 'object',
    required: ['address'],
    properties: { address: { type: 'string', minLength: 3, maxLength: 320, description: 'An address of the recipient (primary or proxy)' } },
  },
  addressList: (name: string) => ({
    type: 'object',
    required: [name],
    additionalProperties: false,
    properties: { [name]: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 320 } } },
  }),
  search: {
    type: 'object',
    properties: { search: { type: 'string', maxLength: 256 } },
  },
} as const;

export type AddressParams = { Params: { address: string } };
