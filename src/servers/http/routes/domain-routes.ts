import type { FastifyInstance } from 'fastify';
import { addAcceptedDomain, listAcceptedDomains, removeAcceptedDomain, setDefaultAcceptedDomain } from '../../../admin/domains.js';
import { adminContext, type ApiDeps } from './api-deps.js';

type NameParams = { Params: { name: string } };
const nameParam = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 253 } } } as const;

export function registerDomainRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/domains', { schema: { tags: ['Domains'], summary: 'List accepted domains' } }, async (request) => listAcceptedDomains(adminContext(deps, request)));

  app.post<{ Body: { name: string; default?: boolean } }>('/domains', {
    schema: {
      tags: ['Domains'],
      summary: 'Add an accepted domain (Global Administrator)',
      body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 253 }, default: { type: 'boolean' } } },
    },
  }, async (request, reply) => reply.code(201).send(await addAcceptedDomain(adminContext(deps, request), request.body.name, request.body.default ?? false)));

  app.post<NameParams>('/domains/:name/default', { schema: { tags: ['Domains'], summary: 'Make a domain the default', params: nameParam } },
    async (request) => setDefaultAcceptedDomain(adminContext(deps, request), request.params.name));

  app.delete<NameParams>('/domains/:name', { schema: { tags: ['Domains'], summary: 'Remove an accepted domain no address uses', params: nameParam } },
    async (request, reply) => {
      await removeAcceptedDomain(adminContext(deps, request), request.params.name);
      return reply.code(204).send();
    });
}
