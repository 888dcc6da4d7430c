import type { FastifyInstance } from 'fastify';
import { listRecoverableItems, recoverMailbox, type RecoveryDeps } from '../../../admin/recovery.js';
import { adminContext, schemas, type AddressParams, type ApiDeps } from './api-deps.js';

export interface RecoveryRouteDeps extends ApiDeps, RecoveryDeps {}

/** Deleted messages an administrator can still restore (Exchange or Global Administrator). */
export function registerRecoveryRoutes(app: FastifyInstance, deps: RecoveryRouteDeps): void {
  app.get<AddressParams & { Querystring: { limit?: number } }>('/mailboxes/:address/recoverable', {
    schema: {
      tags: ['Mailboxes'],
      summary: 'Deleted messages of a mailbox that can still be restored, most recently deleted first',
      params: schemas.addressParam,
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 10000 } } },
    },
  }, async (request) => listRecoverableItems(adminContext(deps, request), deps, request.params.address, request.query.limit ?? 1000));

  app.post<AddressParams & { Body: { since?: string } }>('/mailboxes/:address/recover', {
    // No body at all (curl -X POST) restores everything, as `{}` does.
    preValidation: async (request) => { request.body ??= {}; },
    schema: {
      tags: ['Mailboxes'],
      summary: 'Restore deleted messages (all, or those deleted at or after `since`) to their folders, for everyone; returns what was restored',
      params: schemas.addressParam,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { since: { type: 'string', maxLength: 64, description: 'ISO 8601 time: only messages deleted at or after it' } },
      },
    },
  }, async (request) => recoverMailbox(adminContext(deps, request), deps, request.params.address, { since: request.body.since }));
}
