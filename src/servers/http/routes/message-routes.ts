import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { NotFound } from '../../../core/errors.js';
import type { BlobStore } from '../../../store/blob/blob-store.js';
import type { ChangeFeed } from '../../../store/change-feed.js';
import { openableMailbox } from '../../../store/mail/access.js';
import { expungeMessages } from '../../../store/mail/expunge.js';
import { ensureDefaultFolders } from '../../../store/mail/folders.js';
import { findFolder, findMessage, folderStatistics, listFolderMessages } from '../../../store/mail/message-reader.js';
import type { DatabaseEngine } from '../../../store/sql/database.js';
import type { Database } from '../../../store/sql/schema.js';
import { requirePrincipal } from '../authentication.js';
import { schemas } from './api-deps.js';

export interface MessageRouteDeps {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly engine: DatabaseEngine;
  readonly feed: ChangeFeed;
  readonly durable: () => Promise<void>;
}

type FolderParams = { Params: { address: string; folder: string } };
const folderParams = {
  type: 'object',
  required: ['address', 'folder'],
  properties: { address: { type: 'string', minLength: 3, maxLength: 320 }, folder: { type: 'string', minLength: 1, maxLength: 1024 } },
} as const;

type MessageParams = FolderParams & { Params: { uid: number } };
const messageParams = { ...folderParams, required: ['address', 'folder', 'uid'], properties: { ...folderParams.properties, uid: { type: 'integer', minimum: 1 } } } as const;

/**
 * Reading a mailbox over HTTP, for the web app and for scripts: the owner and anyone with
 * FullAccess (directly or through a security group) — the same rule as IMAP. Administrators
 * get no special right to read mail.
 */
export function registerMessageRoutes(app: FastifyInstance, deps: MessageRouteDeps): void {
  const { db } = deps;
  app.get<{ Params: { address: string } }>('/mailboxes/:address/folders', {
    schema: { tags: ['Mail'], summary: 'Folders of a mailbox with message counts, unseen counts and sizes', params: schemas.addressParam },
  }, async (request) => {
    const mailbox = await openableMailbox(db, requirePrincipal(request), request.params.address);
    return folderStatistics(db, mailbox.id);
  });

  app.get<FolderParams & { Querystring: { limit?: number; offset?: number } }>('/mailboxes/:address/folders/:folder/messages', {
    schema: {
      tags: ['Mail'],
      summary: 'Messages of a folder in UID order (metadata only)',
      params: folderParams,
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 }, offset: { type: 'integer', minimum: 0 } } },
    },
  }, async (request) => {
    const mailbox = await openableMailbox(db, requirePrincipal(request), request.params.address);
    await ensureDefaultFolders(db, mailbox.id);
    const folder = await findFolder(db, mailbox.id, request.params.folder);
    if (!folder) throw new NotFound(`There is no folder "${request.params.folder}" in this mailbox.`);
    return listFolderMessages(db, folder, { limit: request.query.limit ?? 100, offset: request.query.offset ?? 0 });
  });

  app.get<MessageParams>('/mailboxes/:address/folders/:folder/messages/:uid/raw', {
    schema: { tags: ['Mail'], summary: 'The message exactly as stored (message/rfc822)', params: messageParams },
  }, async (request, reply) => {
    const mailbox = await openableMailbox(db, requirePrincipal(request), request.params.address);
    const folder = await findFolder(db, mailbox.id, request.params.folder);
    const message = folder && await findMessage(db, folder, request.params.uid);
    if (!message) throw new NotFound(`There is no message ${request.params.uid} in "${request.params.folder}".`);
    return reply.type('message/rfc822').send(await deps.blobs.open(db, message.blobHash));
  });

  // Deleting is for everyone, as in Exchange; the message stays recoverable by an administrator
  // for MAILROOM_RECOVERY_DAYS, and a delegate's delete is audited (store/mail/expunge.ts).
  app.delete<MessageParams>('/mailboxes/:address/folders/:folder/messages/:uid', {
    schema: { tags: ['Mail'], summary: 'Delete a message for everyone who opens the mailbox (an administrator can restore it for a while)', params: messageParams },
  }, async (request, reply) => {
    const principal = requirePrincipal(request);
    const mailbox = await openableMailbox(db, principal, request.params.address);
    const folder = await findFolder(db, mailbox.id, request.params.folder);
    const result = folder && await expungeMessages(db, deps.engine, { folderId: folder.id, uids: [request.params.uid], actor: principal });
    if (!result || result.expunged.length === 0) throw new NotFound(`There is no message ${request.params.uid} in "${request.params.folder}".`);
    await deps.durable();
    deps.feed.publish(result.changes);
    return reply.code(204).send();
  });
}
