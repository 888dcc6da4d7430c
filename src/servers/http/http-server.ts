import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from '../../core/logger.js';
import type { BlobStore } from '../../store/blob/blob-store.js';
import type { ChangeFeed } from '../../store/change-feed.js';
import type { DatabaseEngine } from '../../store/sql/database.js';
import type { Database } from '../../store/sql/schema.js';
import { registerAdminCenter } from './admin-center.js';
import type { ClientSettings } from './autoconfig/client-settings.js';
import { registerAutoconfig } from './autoconfig/autoconfig-routes.js';
import { principalOf } from './authentication.js';
import { registerDav } from './dav/dav-plugin.js';
import { installValidators } from './validation.js';
import { notFoundHandler, problemErrorHandler } from './problem.js';
import { registerAuditRoutes } from './routes/audit-routes.js';
import { registerDomainRoutes } from './routes/domain-routes.js';
import { registerGroupRoutes } from './routes/group-routes.js';
import { registerQueueRoutes } from './routes/queue-routes.js';
import { registerMailboxRoutes } from './routes/mailbox-routes.js';
import { registerMessageRoutes } from './routes/message-routes.js';
import { registerRecoveryRoutes } from './routes/recovery-routes.js';
import { registerSessionRoutes } from './routes/session-routes.js';
import { registerSharedMailboxRoutes } from './routes/shared-mailbox-routes.js';
import { registerUserRoutes } from './routes/user-routes.js';

export interface HttpServerDeps {
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  readonly tokenTtlSeconds: number;
  readonly durable: () => Promise<void>;
  readonly blobs: BlobStore;
  readonly engine: DatabaseEngine;
  /** Deleting and restoring messages publish their changes here. */
  readonly feed: ChangeFeed;
  /** MAILROOM_RECOVERY_DAYS. */
  readonly recoveryDays: number;
  readonly version: string;
  /** True once every listener is up; /healthz answers 503 before. */
  readonly isReady: () => boolean;
  /** Tells the outbound worker a queued message became due (admin "retry"); it also polls. */
  readonly wakeOutbound?: () => void;
  /** Host name and ports the autoconfiguration documents advertise; without it they are not served. */
  readonly clientSettings?: ClientSettings;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes reachable without signing in. */
    public?: boolean;
  }
}

export async function createHttpServer(deps: HttpServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ listener: 'http' }) as FastifyBaseLogger,
    disableRequestLogging: false,
    bodyLimit: 1024 * 1024,
  });
  installValidators(app);
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('principal', null);

  app.get('/healthz', async (_request, reply) =>
    deps.isReady() ? reply.send({ status: 'ok', version: deps.version }) : reply.code(503).send({ status: 'starting' }));
  registerAdminCenter(app);
  await registerDav(app, { db: deps.db, durable: deps.durable, feed: deps.feed });
  if (deps.clientSettings) await registerAutoconfig(app, { db: deps.db, settings: deps.clientSettings });

  await app.register(async (api) => {
    await api.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Mailroom administration API', version: deps.version, description: 'Every administrative action of Mailroom. Errors are RFC 9457 problem documents.' },
        servers: [{ url: '/api/v1' }],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } } },
        security: [{ bearer: [] }, { basic: [] }],
      },
    });
    api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => api.swagger());
    api.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.public) return;
      request.principal = await principalOf(deps.db, request);
    });
    const routeDeps = { db: deps.db, tokenTtlSeconds: deps.tokenTtlSeconds, durable: deps.durable };
    registerSessionRoutes(api, routeDeps);
    registerDomainRoutes(api, routeDeps);
    registerUserRoutes(api, routeDeps);
    registerSharedMailboxRoutes(api, routeDeps);
    registerMailboxRoutes(api, routeDeps);
    registerGroupRoutes(api, routeDeps);
    registerAuditRoutes(api, routeDeps);
    registerQueueRoutes(api, { ...routeDeps, blobs: deps.blobs, wakeOutbound: deps.wakeOutbound ?? (() => undefined) });
    registerMessageRoutes(api, { db: deps.db, blobs: deps.blobs, engine: deps.engine, feed: deps.feed, durable: deps.durable });
    registerRecoveryRoutes(api, { ...routeDeps, blobs: deps.blobs, engine: deps.engine, feed: deps.feed, recoveryDays: deps.recoveryDays });
  }, { prefix: '/api/v1' });

  return app;
}
