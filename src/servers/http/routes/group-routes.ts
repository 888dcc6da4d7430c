import type { FastifyInstance } from 'fastify';
import { addGroup, changeGroupMembers, listGroups, removeGroup, showGroup, type GroupType } from '../../../admin/groups.js';
import { adminContext, schemas, type AddressParams, type ApiDeps } from './api-deps.js';

export function registerGroupRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: { search?: string } }>('/groups', {
    schema: { tags: ['Groups'], summary: 'Distribution and security groups', querystring: schemas.search },
  }, async (request) => listGroups(adminContext(deps, request), request.query.search));

  app.post<{ Body: { address: string; displayName: string; type: GroupType; mailEnabled?: boolean } }>('/groups', {
    schema: {
      tags: ['Groups'],
      summary: 'Create a distribution or security group',
      body: {
        type: 'object', required: ['address', 'displayName', 'type'], additionalProperties: false,
        properties: {
          address: { type: 'string', minLength: 3, maxLength: 320 },
          displayName: { type: 'string', minLength: 1, maxLength: 256 },
          type: { type: 'string', enum: ['distribution', 'security'] },
          mailEnabled: { type: 'boolean' },
        },
      },
    },
  }, async (request, reply) => {
    const { address, displayName, type, mailEnabled } = request.body;
    return reply.code(201).send(await addGroup(adminContext(deps, request), { address, displayName, type, ...(mailEnabled === undefined ? {} : { mailEnabled }) }));
  });

  app.get<AddressParams>('/groups/:address', { schema: { tags: ['Groups'], summary: 'One group with its direct members', params: schemas.addressParam } },
    async (request) => showGroup(adminContext(deps, request), request.params.address));

  app.delete<AddressParams>('/groups/:address', { schema: { tags: ['Groups'], summary: 'Remove a group', params: schemas.addressParam } },
    async (request, reply) => {
      await removeGroup(adminContext(deps, request), request.params.address);
      return reply.code(204).send();
    });

  app.post<AddressParams & { Body: { members: string[] } }>('/groups/:address/members', {
    schema: { tags: ['Groups'], summary: 'Add members (users, mailboxes or groups)', params: schemas.addressParam, body: schemas.addressList('members') },
  }, async (request) => changeGroupMembers(adminContext(deps, request), request.params.address, request.body.members, 'add'));

  app.post<AddressParams & { Body: { members: string[] } }>('/groups/:address/members/remove', {
    schema: { tags: ['Groups'], summary: 'Remove members', params: schemas.addressParam, body: schemas.addressList('members') },
  }, async (request) => changeGroupMembers(adminContext(deps, request), request.params.address, request.body.members, 'remove'));
}
