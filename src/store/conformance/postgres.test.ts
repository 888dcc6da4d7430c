import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../sql/database.js';
import { defineAccessConformance } from './access-conformance.js';
import { defineCalendarConformance } from './calendar-conformance.js';
import { defineDeliveryLookupConformance } from './delivery-lookup-conformance.js';
import { defineDirectoryConformance } from './directory-conformance.js';
import { defineFulltextConformance } from './fulltext-conformance.js';
import type { OpenedStore } from './harness.js';
import { defineMailboxConformance } from './mailbox-conformance.js';
import { defineRecoveryConformance } from './recovery-conformance.js';
import { defineMailboxSettingsConformance } from './settings-conformance.js';

const configured = new URL(process.env.MAILROOM_TEST_DATABASE_URL || 'postgres://127.0.0.1:5432/test');
// libpq signs in as the operating-system user when the URL names none; node-postgres reads $USER
// instead, which is empty in some containers. Do what psql would do.
if (!configured.username && !process.env.PGUSER && !process.env.USER) configured.username = userInfo().username;
const url = configured.toString();
const where = `${configured.hostname}:${configured.port || '5432'}`;

/** Tries one connection (2 s timeout); returns why PostgreSQL can't be used, or undefined when it can. */
async function unreachableReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    const cause = (err as { code?: string }).code ?? (err instanceof Error ? err.message : String(err));
    const reason = `PostgreSQL at ${where} is not reachable (${cause}): PostgreSQL conformance suite skipped`;
    console.log(reason);
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let reachability: Promise<string | undefined> | undefined;

/** Each test gets its own schema, dropped on close. */
async function openPostgres(): Promise<OpenedStore | { skip: string }> {
  reachability ??= unreachableReason();
  const skip = await reachability;
  if (skip) return { skip };
  const schema = `mr_test_${randomBytes(8).toString('hex')}`;
  const opened = openDatabase({ url, dataDir: '', pgSchema: schema });
  const close = async (): Promise<void> => {
    try {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(opened.db);
    } finally {
      await opened.close();
    }
  };
  try {
    await migrateToLatest(opened, schema);
  } catch (err) {
    await close();
    throw err;
  }
  return { db: opened.db, engine: opened.engine, close };
}

defineDirectoryConformance('PostgreSQL', openPostgres);
defineMailboxConformance('PostgreSQL', openPostgres);
defineMailboxSettingsConformance('PostgreSQL', openPostgres);
defineAccessConformance('PostgreSQL', openPostgres);
defineRecoveryConformance('PostgreSQL', openPostgres);
defineFulltextConformance('PostgreSQL', openPostgres);
defineDeliveryLookupConformance('PostgreSQL', openPostgres);
defineCalendarConformance('PostgreSQL', openPostgres);
