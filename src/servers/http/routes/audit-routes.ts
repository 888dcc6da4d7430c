import type { FastifyInstance } from 'fastify';
import { listAuditEntries } from '../../../admin/audit.js';
import { adminContext, type ApiDeps } from './api-deps.js';

export function registerAuditRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: { target?: string; actor?: string; action?: string; since?: string; limit?: number } }>('/audit', {
    schema: {
      tags: ['Audit'],
      summary: 'Audit log, newest first, filtered by target, actor, action prefix and time',
      querystring: {
        type: 'object',
        properties: {
          target: { type: 'string', maxLength: 320 },
          actor: { type: 'string', maxLength: 320 },
          action: { type: 'string', maxLength: 64 },
          since: { type: 'string', maxLength: 64 },
          limit: { type: 'integer', minimum: 1, maximum: 10000 },
        },
      },
    },
  }, async (request) => {
    const { target, actor, action, since, limit } = request.query;
    return listAuditEntries(adminContext(deps, request), {
      ...(target ? { target } : {}), ...(actor ? { actor } : {}), ...(action ? { action } : {}), ...(since ? { since } : {}), ...(limit ? { limit } : {}),
    });
  });
}
