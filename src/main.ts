import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AcceptQueue } from './delivery/accept-queue.js';
import { DeliveryWorker } from './delivery/delivery-worker.js';
import { indexMessage } from './delivery/index-message.js';
import { queueNonDeliveryReport } from './delivery/non-delivery-report.js';
import { srsForward } from './delivery/srs.js';
import { mailboxStages } from './delivery/stages/index.js';
import { dkimSigner, loadDkimKey } from './delivery/outbound/dkim.js';
import { OutboundWorker } from './delivery/outbound/outbound-worker.js';
import { mxRoute, parseSmarthost, smarthostRoute } from './delivery/outbound/route.js';
import { defaultDomain, isAcceptedDomain } from './directory/domains.js';
import { CredentialCache } from './directory/credential-cache.js';
import { ensureSecret } from './store/sql/meta.js';
import { FolderUidCache } from './servers/imap/folder-uid-cache.js';
import { closeImap, createImapServer, listenImap } from './servers/imap/imap-server.js';
import { createMxServer } from './servers/smtp/mx-server.js';
import { listenSmtp } from './servers/smtp/listen.js';
import { createSubmissionServer } from './servers/smtp/submission-server.js';
import { loadOrCreateCertificate } from './servers/tls/certificate.js';
import { BlobStore } from './store/blob/blob-store.js';
import { ChangeFeed } from './store/change-feed.js';
import { purgeExpired } from './store/mail/expunge.js';
import { ensureOrganization } from './admin/bootstrap.js';
import type { Config } from './config/config.js';
import { createLogger, type Logger } from './core/logger.js';
import { createHttpServer } from './servers/http/http-server.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from './store/sql/database.js';
import { version } from './version.js';

export interface RunningServer {
  readonly logger: Logger;
  readonly database: OpenDatabase;
  readonly feed: ChangeFeed;
  /** Bound ports by listener name (useful when a port was configured as a free port). */
  readonly ports: Record<string, number>;
  close(): Promise<void>;
}

/**
 * The composition root: opens the store, migrates it, creates the organization on first
 * start, and starts the listeners. The only place that picks a store backend.
 */
export async function startServer(config: Config, out: NodeJS.WritableStream = process.stdout): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const database = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  logger.info({ database: database.description, dataDir: config.dataDir }, 'opening store');
  const applied = await migrateToLatest(database);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');

  const bootstrap = await ensureOrganization(database.db, config.domain, config.adminPassword);
  if (bootstrap.created) {
    logger.info({ domain: config.domain, admin: bootstrap.adminAddress }, 'organization created');
    if (bootstrap.generatedPassword) {
      // Printed once, to the terminal only (never to the structured log).
      out.write(`\nMailroom is set up for ${config.domain}.\nGlobal Administrator: ${bootstrap.adminAddress}\nPassword (shown only now): ${bootstrap.generatedPassword}\n\n`);
    }
  }

  let ready = false;
  const listeners: { name: string; close: () => Promise<void> }[] = [];
  const ports: Record<string, number> = {};

  const db = database.db;
  const srsSecret = await ensureSecret(db, 'srs_secret');
  const defaultDomainName = await defaultDomain(db);
  const blobs = new BlobStore(join(config.dataDir, 'blobs'));
  const feed = new ChangeFeed();
  const worker = new DeliveryWorker({
    db,
    engine: database.engine,
    blobs,
    feed,
    logger: logger.child({ component: 'delivery' }),
    index: indexMessage,
    stages: mailboxStages((sender) => srsForward(srsSecret, sender, defaultDomainName)),
    nonDeliveryReport: queueNonDeliveryReport(config.hostname),
    outboundLifetimeMs: config.queueLifetimeSeconds * 1000,
    onOutboundQueued: () => outbound.wake(),
  });
  const outbound = new OutboundWorker({
    db,
    engine: database.engine,
    blobs,
    logger: logger.child({ component: 'outbound' }),
    hostname: config.hostname,
    route: config.smarthost ? smarthostRoute(parseSmarthost(config.smarthost)) : mxRoute(),
    sign: config.dkimSelector && config.dkimKeyFile
      ? dkimSigner(await loadDkimKey(config.dkimSelector, config.dkimKeyFile, config.dkimDomain), (domain) => isAcceptedDomain(db, domain))
      : undefined,
    srsSecret,
    retry: { baseMs: config.queueRetryBaseSeconds * 1000, maxMs: 3600_000 },
    onReports: () => worker.wake(),
  });
  const accept = new AcceptQueue(db, blobs, () => worker.wake(), () => database.durable());
  // Expunged messages stay recoverable for MAILROOM_RECOVERY_DAYS; then they, and the bytes nothing
  // else references, go: once at start and hourly, never two purges at once.
  let purging: Promise<void> | undefined;
  const purge = (): void => {
    purging ??= purgeExpired(db, blobs, { olderThanDays: config.recoveryDays })
      .then((r) => { if (r.purged > 0 || r.blobsRemoved > 0) logger.info({ ...r, recoveryDays: config.recoveryDays }, 'expired recoverable items purged'); })
      .catch((err: unknown) => logger.error({ err }, 'purging expired recoverable items failed; will retry within the hour'))
      .finally(() => { purging = undefined; });
  };
  purge();
  const purgeTimer = setInterval(purge, 3600_000).unref();
  listeners.push({ name: 'recovery-purge', close: async () => { clearInterval(purgeTimer); await purging; } });
  // Jobs accepted before a crash or restart are finished first.
  worker.start();
  listeners.push({ name: 'delivery', close: () => worker.stop() });
  // So is the outbound queue; its workers stop before the delivery worker does.
  await outbound.start();
  listeners.push({ name: 'outbound', close: () => outbound.stop() });

  // One certificate for every TLS listener: the configured one, or a self-signed one kept in the data directory.
  const certificate = config.smtpPort !== 0 || config.submissionPort !== 0 || config.imapPort !== 0 || config.imapsPort !== 0 ? await loadOrCreateCertificate(config) : undefined;
  const tls = certificate ? { key: certificate.key, cert: certificate.cert } : undefined;
  if (certificate) {
    const { source, subject, validTo, certFile, replaced } = certificate;
    logger.info({ source, subject, validTo, certFile, ...(replaced ? { replaced } : {}) }, 'TLS certificate');
  }
  // Verified passwords, shared by the mail protocols (submission and IMAP).
  const credentials = new CredentialCache(db);

  if (config.smtpPort !== 0) {
    const mx = createMxServer({ db, accept, logger, hostname: config.hostname, maxMessageBytes: config.maxMessageBytes, dmarcReject: config.dmarcReject, dnsServers: config.dnsServers, greetingPauseMs: config.smtpGreetingPauseMs, tls });
    ports.smtp = await listenSmtp(mx, config.host, config.smtpPort);
    listeners.push({ name: 'smtp', close: () => new Promise<void>((resolve) => mx.close(() => resolve())) });
  }

  if (config.submissionPort !== 0 && tls) {
    const submission = createSubmissionServer({ db, accept, credentials, logger, hostname: config.hostname, maxMessageBytes: config.maxMessageBytes, tls });
    ports.submission = await listenSmtp(submission, config.host, config.submissionPort);
    listeners.push({ name: 'submission', close: () => new Promise<void>((resolve) => submission.close(() => resolve())) });
  }

  const uidCache = new FolderUidCache(db, feed);
  listeners.push({ name: 'imap-uid-cache', close: async () => uidCache.close() });
  const imapDeps = {
    db, engine: database.engine, blobs, feed, credentials, logger: logger.child({ listener: 'imap' }), hostname: config.hostname, tls,
    durable: () => database.durable(), maxMessageBytes: config.maxMessageBytes, index: indexMessage, uidCache,
  };
  for (const [name, port, implicitTls] of [['imap', config.imapPort, false], ['imaps', config.imapsPort, true]] as const) {
    if (port === 0 || (implicitTls && !tls)) continue;
    const imap = createImapServer(imapDeps, { implicitTls });
    ports[name] = await listenImap(imap, config.host, port);
    listeners.push({ name, close: () => closeImap(imap) });
  }

  if (config.httpPort !== 0) {
    const http: FastifyInstance = await createHttpServer({
      db, blobs, durable: () => database.durable(), logger, tokenTtlSeconds: config.tokenTtlSeconds, version, isReady: () => ready, wakeOutbound: () => outbound.wake(),
      engine: database.engine, feed, recoveryDays: config.recoveryDays,
      clientSettings: { hostname: config.hostname, imapPort: config.imapPort, imapsPort: config.imapsPort, submissionPort: config.submissionPort, httpPort: config.httpPort },
    });
    await http.listen({ host: config.host, port: config.httpPort });
    const address = http.server.address();
    ports.http = typeof address === 'object' && address ? address.port : config.httpPort;
    listeners.push({ name: 'http', close: () => http.close() });
  }

  ready = true;
  logger.info({ host: config.host, ports, version }, 'mailroom ready');

  return {
    logger,
    database,
    feed,
    ports,
    async close() {
      ready = false;
      for (const listener of listeners.reverse()) await listener.close();
      await database.close();
      logger.info('mailroom stopped');
    },
  };
}
