import { ImapFlow } from 'imapflow';
import { assertStatus, encode } from './api-helpers.js';
import { freePort, removeDataDir } from './harness.js';
import { testDatabaseUrl } from './postgres-url.js';
import { createMailUser, passwordOf, sendWithNodemailer, startMailServer, type MailServer, type MailUser } from './mail-helpers.js';
import type { StartOptions } from './harness.js';

/** Shared helpers of the IMAP tests: the server with MX and IMAP listeners, an organization, and imapflow clients. */

export interface ImapServer extends MailServer {
  readonly imapPort: number;
  readonly imapsPort: number;
}

export async function startImapServer(options: StartOptions = {}): Promise<ImapServer> {
  const imapPort = await freePort();
  const imapsPort = await freePort();
  const mail = await startMailServer({ ...options, env: { MAILROOM_IMAP_PORT: String(imapPort), MAILROOM_IMAPS_PORT: String(imapsPort), ...options.env } });
  return { ...mail, imapPort, imapsPort };
}

export interface Organization {
  readonly alice: MailUser;
  readonly bob: MailUser;
  readonly carol: MailUser;
  readonly info: string;
}

/**
 * alice and bob are members of the shared mailbox info@ (FullAccess, automapped); carol is not.
 */
export async function createOrganization(server: ImapServer): Promise<Organization> {
  const alice = await createMailUser(server, 'alice@contoso.com', 'Alice');
  const bob = await createMailUser(server, 'bob@contoso.com', 'Bob');
  const carol = await createMailUser(server, 'carol@contoso.com', 'Carol');
  assertStatus(await server.admin('POST', '/shared-mailboxes', { displayName: 'Info', address: 'info@contoso.com' }), 201);
  assertStatus(await server.admin('POST', `/shared-mailboxes/${encode('info@contoso.com')}/members`, { members: [alice.address, bob.address] }), 200);
  return { alice, bob, carol, info: 'info@contoso.com' };
}

export interface ClientOptions {
  readonly user: string;
  readonly password?: string;
  readonly secure?: boolean;
}

/** An imapflow client signed in (plain connection on loopback unless `secure`). */
export async function imapClient(server: ImapServer, options: ClientOptions): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: options.secure ? server.imapsPort : server.imapPort,
    secure: options.secure ?? false,
    doSTARTTLS: false,
    tls: { rejectUnauthorized: false },
    auth: { user: options.user, pass: options.password ?? passwordOf(options.user.split('\\')[0]!) },
    logger: false,
    disableAutoIdle: true,
    verifyOnly: false,
  });
  await client.connect();
  return client;
}

/** Delivers a plain message to `to` through the MX. */
export async function deliver(server: ImapServer, to: string, subject: string, body = 'Hello.\r\n'): Promise<void> {
  const raw = `From: Sender <sender@fabrikam.com>\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@fabrikam.com>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\n${body}`;
  await sendWithNodemailer(server.smtpPort, { from: 'sender@fabrikam.com', to: [to] }, raw);
}

/** Waits until `check` holds (delivery is asynchronous after the 250). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A fresh PostgreSQL schema for one server, or the reason PostgreSQL tests are skipped
 * (MAILROOM_TEST_DATABASE_URL, default postgres://127.0.0.1:5432/test).
 */
export async function postgresSchema(prefix: string): Promise<{ env: NodeJS.ProcessEnv; drop: () => Promise<void> } | string> {
  const { default: pg } = await import('pg');
  const { randomBytes } = await import('node:crypto');
  const baseUrl = testDatabaseUrl();
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    return `PostgreSQL at ${baseUrl} is not reachable (${(err as NodeJS.ErrnoException).code ?? String(err)}): PostgreSQL variant skipped`;
  }
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return {
    env: { DATABASE_URL: `${baseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}` },
    drop: async () => {
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** The imapflow clients a suite opens, signed out together when it ends. */
export class ImapClients {
  private readonly open: ImapFlow[] = [];

  constructor(private readonly server: () => ImapServer) {}

  /** A client signed in as `user` (see imapClient), kept for closeAll(). */
  async connect(user: string, password?: string): Promise<ImapFlow> {
    return this.track(await imapClient(this.server(), { user, ...(password ? { password } : {}) }));
  }

  /** Keeps a client made elsewhere (with other options) for closeAll(). */
  track(client: ImapFlow): ImapFlow {
    this.open.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    for (const client of this.open.splice(0)) await client.logout().catch(() => undefined);
  }
}

/** Stops a suite's server (if it started) and removes its data directory. */
export async function stopImapServer(server: ImapServer | undefined): Promise<void> {
  if (!server) return;
  await server.server.stop();
  removeDataDir(server.server.dataDir);
}
