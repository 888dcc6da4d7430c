import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type DatabaseEngine = 'sqlite' | 'postgres';

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  /** A human description for logs (never includes a password). */
  readonly description: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite in `dataDir`. */
  readonly url?: string | undefined;
  readonly dataDir: string;
  /** PostgreSQL only: the schema to use (created when missing), for isolated test runs. */
  readonly pgSchema?: string;
}

// PostgreSQL returns BIGINT (type 20) as a string; our sizes fit in a double exactly.
pg.types.setTypeParser(20, (value: string) => Number(value));

export function openDatabase(options: DatabaseOptions): OpenDatabase {
  if (options.url && /^postgres(ql)?:\/\//.test(options.url)) return openPostgres(options.url, options.pgSchema);
  return openSqlite(options.dataDir);
}

function openSqlite(dataDir: string): OpenDatabase {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'mailroom.sqlite');
  const connection = new BetterSqlite3(file);
  connection.pragma('journal_mode = WAL');
  // Durability is promised (nothing acknowledged is lost): full fsync at commit.
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  return { db, engine: 'sqlite', description: `sqlite:${file}`, close: () => db.destroy() };
}

function openPostgres(url: string, schema: string | undefined): OpenDatabase {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    // Like psql: with no user in the URL or the environment, connect as the operating-system user.
    ...(new URL(url).username || process.env.PGUSER || process.env.USER ? {} : { user: userInfo().username }),
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safeUrl = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  return { db, engine: 'postgres', description: safeUrl + (schema ? ` (schema ${schema})` : ''), close: () => db.destroy() };
}

/** Applies every pending migration; safe to call from several nodes at once (Kysely takes a lock). */
export async function migrateToLatest(open: OpenDatabase, pgSchema?: string): Promise<string[]> {
  if (open.engine === 'postgres' && pgSchema) {
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(pgSchema)}`.execute(open.db);
  }
  const migrator = new Migrator({ db: open.db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const failed = results?.find((r) => r.status === 'Error');
  if (failed) throw new Error(`migration ${failed.migrationName} failed`);
  return (results ?? []).map((r) => r.migrationName);
}
