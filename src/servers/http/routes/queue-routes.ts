import type { FastifyInstance } from 'fastify';
import { listQueue, removeQueueItem, retryQueueItem } from '../../../admin/queue.js';
import type { BlobStore } from '../../../store/blob/blob-store.js';
import { adminContext, type ApiDeps } from './api-deps.js';

/** What the queue routes need besides the database: the blob store (removal releases) and the worker's wake-up. */
export interface QueueRouteDeps extends ApiDeps {
  readonly blobs: BlobStore;
  /** Tells the outbound worker that a message became due. */
  readonly wakeOutbound: () => void;
}

type IdParams = { Params: { id: string } };
const idParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, description: 'The queue entry id, as `GET /queue` lists it' } },
} as const;

export function registerQueueRoutes(app: FastifyInstance, deps: QueueRouteDeps): void {
  app.get<{ Querystring: { limit?: number } }>('/queue', {
    schema: {
      tags: ['Queue'],
      summary: 'The outbound queue, oldest first: one entry per remote recipient, with attempts, next try and last error (Global Administrator)',
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 10000 } } },
    },
  }, async (request) => listQueue(adminContext(deps, request), request.query.limit ?? 1000));

  app.post<IdParams>('/queue/:id/retry', {
    schema: { tags: ['Queue'], summary: 'Try to deliver a queued message now (Global Administrator)', params: idParam },
  }, async (request) => {
    const item = await retryQueueItem(adminContext(deps, request), request.params.id);
    deps.wakeOutbound();
    return item;
  });

  app.delete<IdParams>('/queue/:id', {
    schema: { tags: ['Queue'], summary: 'Remove a queued message without a report to its sender (Global Administrator)', params: idParam },
  }, async (request, reply) => {
    await removeQueueItem(adminContext(deps, request), deps.blobs, request.params.id);
    return reply.code(204).send();
  });
}
