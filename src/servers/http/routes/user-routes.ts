import type { FastifyInstance } from 'fastify';
import { effectiveAccess } from '../../../admin/permissions.js';
import { addUser, assignRoles, listAccounts, parseRole, removeAccount, resetPassword, setSignIn, showAccount } from '../../../admin/users.js';
import { adminContext, schemas, type AddressParams, type ApiDeps } from './api-deps.js';

const roleItems = { type: 'string', enum: ['global-admin', 'exchange-admin'] } as const;

export function registerUserRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: { search?: string; includeShared?: boolean } }>('/users', {
    schema: {
      tags: ['Users'],
      summary: 'Active users; includeShared=true adds shared mailbox accounts',
      querystring: { type: 'object', properties: { search: { type: 'string', maxLength: 256 }, includeShared: { type: 'boolean' } } },
    },
  }, async (request) => listAccounts(adminContext(deps, request), {
    ...(request.query.search ? { search: request.query.search } : {}),
    includeShared: request.query.includeShared ?? false,
  }));

  app.post<{ Body: { address: string; displayName: string; password: string; roles?: string[] } }>('/users', {
    schema: {
      tags: ['Users'],
      summary: 'Add a user with a password and optional roles (roles need a Global Administrator)',
      body: {
        type: 'object',
        required: ['address', 'displayName', 'password'],
        additionalProperties: false,
        properties: {
          address: { type: 'string', minLength: 3, maxLength: 320 },
          displayName: { type: 'string', minLength: 1, maxLength: 256 },
          password: { type: 'string', minLength: 1, maxLength: 1024 },
          roles: { type: 'array', items: roleItems, uniqueItems: true },
        },
      },
    },
  }, async (request, reply) => {
    const { address, displayName, password, roles } = request.body;
    return reply.code(201).send(await addUser(adminContext(deps, request), { address, displayName, password, roles: (roles ?? []).map(parseRole) }));
  });

  app.post<{ Body: { addresses: string[] } }>('/users/block', {
    schema: { tags: ['Users'], summary: 'Block sign-in for one or many accounts (all or nothing)', body: schemas.addressList('addresses') },
  }, async (request) => setSignIn(adminContext(deps, request), request.body.addresses, true));

  app.post<{ Body: { addresses: string[] } }>('/users/unblock', {
    schema: { tags: ['Users'], summary: 'Unblock sign-in for one or many accounts (all or nothing)', body: schemas.addressList('addresses') },
  }, async (request) => setSignIn(adminContext(deps, request), request.body.addresses, false));

  app.get<AddressParams>('/users/:address', { schema: { tags: ['Users'], summary: 'One account', params: schemas.addressParam } },
    async (request) => showAccount(adminContext(deps, request), request.params.address));

  app.delete<AddressParams>('/users/:address', { schema: { tags: ['Users'], summary: 'Remove a user and its mailbox', params: schemas.addressParam } },
    async (request, reply) => {
      await removeAccount(adminContext(deps, request), request.params.address);
      return reply.code(204).send();
    });

  app.put<AddressParams & { Body: { password: string } }>('/users/:address/password', {
    schema: {
      tags: ['Users'],
      summary: 'Reset a password (a shared mailbox stays blocked)',
      params: schemas.addressParam,
      body: { type: 'object', required: ['password'], additionalProperties: false, properties: { password: { type: 'string', minLength: 1, maxLength: 1024 } } },
    },
  }, async (request) => resetPassword(adminContext(deps, request), request.params.address, request.body.password));

  app.put<AddressParams & { Body: { roles: string[] } }>('/users/:address/roles', {
    schema: {
      tags: ['Users'],
      summary: 'Set the roles of a user (Global Administrator)',
      params: schemas.addressParam,
      body: { type: 'object', required: ['roles'], additionalProperties: false, properties: { roles: { type: 'array', items: roleItems, uniqueItems: true } } },
    },
  }, async (request) => assignRoles(adminContext(deps, request), request.params.address, request.body.roles.map(parseRole)));

  app.get<AddressParams>('/users/:address/mailbox-access', {
    schema: { tags: ['Users'], summary: 'Mailboxes the user can open or send as now, directly or through security groups', params: schemas.addressParam },
  }, async (request) => effectiveAccess(adminContext(deps, request), request.params.address));
}
