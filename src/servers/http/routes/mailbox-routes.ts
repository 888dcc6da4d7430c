import type { FastifyInstance } from 'fastify';
import { addAddress, removeAddress } from '../../../admin/addresses.js';
import { convertMailbox } from '../../../admin/convert.js';
import { showMailboxSettings, updateMailboxSettings, type MailboxSettingsPatch } from '../../../admin/mailbox-settings.js';
import { addPermission, listPermissions, parseRights, removePermission } from '../../../admin/permissions.js';
import { adminContext, schemas, type AddressParams, type ApiDeps } from './api-deps.js';

const size = { anyOf: [{ type: 'string', maxLength: 32 }, { type: 'integer', minimum: 0 }] } as const;
const nullableString = (maxLength: number) => ({ anyOf: [{ type: 'string', maxLength }, { type: 'null' }] }) as const;

const settingsPatchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    forwarding: {
      type: 'object', additionalProperties: false,
      properties: { enabled: { type: 'boolean' }, address: nullableString(1024), keepCopy: { type: 'boolean' } },
    },
    autoReply: {
      type: 'object', additionalProperties: false,
      properties: {
        state: { type: 'string', enum: ['off', 'on', 'scheduled'] },
        start: nullableString(64),
        end: nullableString(64),
        internalMessage: { type: 'string', maxLength: 100000 },
        externalMessage: nullableString(100000),
        externalAudience: { type: 'string', enum: ['all', 'known'] },
      },
    },
    sentItems: { type: 'object', additionalProperties: false, properties: { copySentAs: { type: 'boolean' }, copySendOnBehalf: { type: 'boolean' } } },
    quota: { type: 'object', additionalProperties: false, properties: { warn: size, send: size, receive: size } },
    hiddenFromAddressList: { type: 'boolean' },
    privateSeen: { type: 'boolean' },
  },
} as const;

// Rights are matched case-insensitively by parseRights, which names the valid ones when refusing.
const rightsProperties = {
  trustee: { type: 'string', minLength: 1, maxLength: 320 },
  rights: { type: 'array', minItems: 1, maxItems: 5, items: { type: 'string', minLength: 1, maxLength: 32 } },
} as const;
const grantBody = { type: 'object', required: ['trustee', 'rights'], additionalProperties: false, properties: { ...rightsProperties, automap: { type: 'boolean' } } } as const;
const revokeBody = { type: 'object', required: ['trustee', 'rights'], additionalProperties: false, properties: rightsProperties } as const;

type RightsBody = { Body: { trustee: string; rights: string[]; automap?: boolean } };

export function registerMailboxRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<AddressParams>('/mailboxes/:address/permissions', {
    schema: { tags: ['Mailboxes'], summary: 'Grants on a mailbox, one row per trustee', params: schemas.addressParam },
  }, async (request) => listPermissions(adminContext(deps, request), request.params.address));

  app.post<AddressParams & RightsBody>('/mailboxes/:address/permissions', {
    schema: { tags: ['Mailboxes'], summary: 'Grant FullAccess, ReadOnly or NoDelete (automap default on), SendAs or SendOnBehalf to a user or security group', params: schemas.addressParam, body: grantBody },
  }, async (request) => {
    const { trustee, rights, automap } = request.body;
    return addPermission(adminContext(deps, request), { mailbox: request.params.address, trustee, rights: parseRights(rights), ...(automap === undefined ? {} : { automap }) });
  });

  app.post<AddressParams & RightsBody>('/mailboxes/:address/permissions/remove', {
    schema: { tags: ['Mailboxes'], summary: 'Remove rights of a trustee', params: schemas.addressParam, body: revokeBody },
  }, async (request) => removePermission(adminContext(deps, request), { mailbox: request.params.address, trustee: request.body.trustee, rights: parseRights(request.body.rights) }));

  app.get<AddressParams>('/mailboxes/:address/settings', {
    schema: { tags: ['Mailboxes'], summary: 'Forwarding, automatic replies, sent-item copies, quotas, address-list visibility', params: schemas.addressParam },
  }, async (request) => showMailboxSettings(adminContext(deps, request), request.params.address));

  app.patch<AddressParams & { Body: MailboxSettingsPatch }>('/mailboxes/:address/settings', {
    schema: { tags: ['Mailboxes'], summary: 'Change settings; absent fields keep their value; all validated before anything changes', params: schemas.addressParam, body: settingsPatchSchema },
  }, async (request) => updateMailboxSettings(adminContext(deps, request), request.params.address, request.body));

  app.post<AddressParams & { Body: { to: 'shared' | 'user'; password?: string } }>('/mailboxes/:address/convert', {
    schema: {
      tags: ['Mailboxes'],
      summary: 'Convert a user mailbox to shared (sign-in blocked) or back (a password is required)',
      params: schemas.addressParam,
      body: {
        type: 'object', required: ['to'], additionalProperties: false,
        properties: { to: { type: 'string', enum: ['shared', 'user'] }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
      },
    },
  }, async (request) => convertMailbox(adminContext(deps, request), request.params.address, request.body.to, request.body.password));

  app.post<AddressParams & { Body: { address: string } }>('/recipients/:address/addresses', {
    schema: {
      tags: ['Recipients'],
      summary: 'Add a proxy address to a recipient',
      params: schemas.addressParam,
      body: { type: 'object', required: ['address'], additionalProperties: false, properties: { address: { type: 'string', minLength: 3, maxLength: 320 } } },
    },
  }, async (request, reply) => reply.code(201).send(await addAddress(adminContext(deps, request), request.params.address, request.body.address)));

  app.delete<{ Params: { address: string; proxy: string } }>('/recipients/:address/addresses/:proxy', {
    schema: {
      tags: ['Recipients'],
      summary: 'Remove a proxy address (never the primary one)',
      params: { type: 'object', required: ['address', 'proxy'], properties: { address: { type: 'string' }, proxy: { type: 'string' } } },
    },
  }, async (request) => removeAddress(adminContext(deps, request), request.params.address, request.params.proxy));
}
