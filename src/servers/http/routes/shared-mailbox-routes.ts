import type { FastifyInstance } from 'fastify';
import { addMembers, listMembers, removeMembers } from '../../../admin/members.js';
import { addSharedMailbox, listSharedMailboxes, removeSharedMailbox, showSharedMailbox, suggestSharedAddress } from '../../../admin/shared-mailboxes.js';
import { adminContext, schemas, type AddressParams, type ApiDeps } from './api-deps.js';

export function registerSharedMailboxRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: { search?: string } }>('/shared-mailboxes', {
    schema: { tags: ['Shared mailboxes'], summary: 'List shared mailboxes with their members', querystring: schemas.search },
  }, async (request) => listSharedMailboxes(adminContext(deps, request), request.query.search));

  app.get<{ Querystring: { name: string; domain?: string } }>('/shared-mailboxes/suggest-address', {
    schema: {
      tags: ['Shared mailboxes'],
      summary: 'The address the wizard suggests for a display name',
      querystring: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 256 }, domain: { type: 'string', maxLength: 253 } } },
    },
  }, async (request) => ({ address: await suggestSharedAddress(adminContext(deps, request), request.query.name, request.query.domain) }));

  app.post<{ Body: { displayName: string; address?: string } }>('/shared-mailboxes', {
    schema: {
      tags: ['Shared mailboxes'],
      summary: 'Create a shared mailbox from a name (address suggested when not given); its sign-in is blocked',
      body: {
        type: 'object',
        required: ['displayName'],
        additionalProperties: false,
        properties: { displayName: { type: 'string', minLength: 1, maxLength: 256 }, address: { type: 'string', minLength: 3, maxLength: 320 } },
      },
    },
  }, async (request, reply) => {
    const { displayName, address } = request.body;
    return reply.code(201).send(await addSharedMailbox(adminContext(deps, request), { displayName, ...(address ? { address } : {}) }));
  });

  app.get<AddressParams>('/shared-mailboxes/:address', { schema: { tags: ['Shared mailboxes'], summary: 'One shared mailbox', params: schemas.addressParam } },
    async (request) => showSharedMailbox(adminContext(deps, request), request.params.address));

  app.delete<AddressParams>('/shared-mailboxes/:address', { schema: { tags: ['Shared mailboxes'], summary: 'Remove a shared mailbox', params: schemas.addressParam } },
    async (request, reply) => {
      await removeSharedMailbox(adminContext(deps, request), request.params.address);
      return reply.code(204).send();
    });

  app.get<AddressParams>('/shared-mailboxes/:address/members', {
    schema: { tags: ['Shared mailboxes'], summary: 'Members (FullAccess trustees)', params: schemas.addressParam },
  }, async (request) => listMembers(adminContext(deps, request), request.params.address));

  app.post<AddressParams & { Body: { members: string[]; automap?: boolean } }>('/shared-mailboxes/:address/members', {
    schema: {
      tags: ['Shared mailboxes'],
      summary: 'Add members: grants FullAccess (automapped) and SendAs, as the admin center does',
      params: schemas.addressParam,
      body: {
        type: 'object',
        required: ['members'],
        additionalProperties: false,
        properties: { members: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 320 } }, automap: { type: 'boolean' } },
      },
    },
  }, async (request) => addMembers(adminContext(deps, request), request.params.address, request.body.members, request.body.automap ?? true));

  app.post<AddressParams & { Body: { members: string[] } }>('/shared-mailboxes/:address/members/remove', {
    schema: { tags: ['Shared mailboxes'], summary: 'Remove members and every right they hold on the mailbox', params: schemas.addressParam, body: schemas.addressList('members') },
  }, async (request) => removeMembers(adminContext(deps, request), request.params.address, request.body.members));
}
