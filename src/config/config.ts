import { hostname } from 'node:os';
import { resolve } from 'node:path';

/** Typed configuration read from the environment; every setting has a documented default. */
export interface Config {
  readonly dataDir: string;
  readonly host: string;
  readonly smtpPort: number;
  readonly submissionPort: number;
  readonly imapPort: number;
  readonly imapsPort: number;
  readonly httpPort: number;
  readonly domain: string;
  readonly adminPassword: string | undefined;
  readonly databaseUrl: string | undefined;
  readonly smarthost: string | undefined;
  readonly logLevel: string;
  readonly tokenTtlSeconds: number;
  /** Name this server gives itself in SMTP greetings and trace headers. */
  readonly hostname: string;
  readonly maxMessageBytes: number;
  readonly dmarcReject: boolean;
  /** MAILROOM_DNS_SERVERS: comma-separated "host" or "host:port" for the MX's SPF/DKIM/DMARC lookups. */
  readonly dnsServers: readonly string[];
  readonly smtpGreetingPauseMs: number;
  readonly recoveryDays: number;
  readonly queueLifetimeSeconds: number;
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  /** First retry delay of the outbound queue; doubles per attempt, capped at one hour. */
  readonly queueRetryBaseSeconds: number;
  /** DKIM signing of outbound mail (RFC 6376): both selector and key file, or neither. */
  readonly dkimSelector: string | undefined;
  readonly dkimKeyFile: string | undefined;
  /** d= domain; without it, the From header's domain when it is one of ours. */
  readonly dkimDomain: string | undefined;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number between 0 and 65535 (0 disables the listener), got "${raw}"`);
  }
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of 0 or more, got "${raw}"`);
  return value;
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    dataDir: resolve(env.MAILROOM_DATA_DIR || './data'),
    host: env.MAILROOM_HOST || '127.0.0.1',
    smtpPort: port(env, 'MAILROOM_SMTP_PORT', 2525),
    submissionPort: port(env, 'MAILROOM_SUBMISSION_PORT', 2587),
    imapPort: port(env, 'MAILROOM_IMAP_PORT', 2143),
    imapsPort: port(env, 'MAILROOM_IMAPS_PORT', 2993),
    httpPort: port(env, 'MAILROOM_HTTP_PORT', 8080),
    domain: (env.MAILROOM_DOMAIN || 'example.test').toLowerCase(),
    adminPassword: optional(env, 'MAILROOM_ADMIN_PASSWORD'),
    databaseUrl: optional(env, 'DATABASE_URL'),
    smarthost: optional(env, 'MAILROOM_SMARTHOST'),
    logLevel: env.MAILROOM_LOG_LEVEL || 'info',
    tokenTtlSeconds: positiveInteger(env, 'MAILROOM_TOKEN_TTL', 12 * 3600),
    hostname: env.MAILROOM_HOSTNAME || hostname(),
    maxMessageBytes: positiveInteger(env, 'MAILROOM_MAX_MESSAGE_SIZE', 35 * 1024 * 1024),
    dmarcReject: env.MAILROOM_DMARC_REJECT === 'on' || env.MAILROOM_DMARC_REJECT === 'true',
    dnsServers: (env.MAILROOM_DNS_SERVERS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    smtpGreetingPauseMs: nonNegativeInteger(env, 'MAILROOM_SMTP_GREETING_PAUSE', 0),
    recoveryDays: positiveInteger(env, 'MAILROOM_RECOVERY_DAYS', 14),
    queueLifetimeSeconds: positiveInteger(env, 'MAILROOM_QUEUE_LIFETIME', 2 * 24 * 3600),
    tlsCertFile: optional(env, 'MAILROOM_TLS_CERT'),
    tlsKeyFile: optional(env, 'MAILROOM_TLS_KEY'),
    queueRetryBaseSeconds: positiveInteger(env, 'MAILROOM_QUEUE_RETRY_BASE', 60),
    ...dkimSettings(env),
  };
}

function dkimSettings(env: NodeJS.ProcessEnv): Pick<Config, 'dkimSelector' | 'dkimKeyFile' | 'dkimDomain'> {
  const dkimSelector = optional(env, 'MAILROOM_DKIM_SELECTOR');
  const keyFile = optional(env, 'MAILROOM_DKIM_KEY');
  if ((dkimSelector === undefined) !== (keyFile === undefined)) {
    throw new Error('MAILROOM_DKIM_SELECTOR and MAILROOM_DKIM_KEY go together: set both to sign outbound mail, or neither');
  }
  return { dkimSelector, dkimKeyFile: keyFile === undefined ? undefined : resolve(keyFile), dkimDomain: optional(env, 'MAILROOM_DKIM_DOMAIN')?.toLowerCase() };
}
