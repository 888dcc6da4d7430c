import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { WalSync } from './wal-sync.js';

export type DatabaseEngine = 'sqlite' | 'postgres';

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  /** A human description for logs (never includes a password). */
  readonly description: string;
  /**
   * Resolves when every transaction committed before the call is durable. Await it before
   * acknowledging a change to anyone (SMTP 250, IMAP OK, an API answer).
   */
  durable(): Promise<void>;
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
  // Commits write the WAL without fsync; durability comes from WalSync's grouped fsync
  // (see wal-sync.ts), awaited by everything that acknowledges a change.
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  // Checkpoints run in a worker thread instead of inside a COMMIT on the event loop (wal-checkpointer.ts).
  connection.pragma('wal_autocheckpoint = 0');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) });
  const walSync = new WalSync(`${file}-wal`);
  const checkpointer = new WalCheckpointer(file, () => {
    // SQLite's default, back on the event loop: slower commits, but a WAL that stays bounded.
    if (connection.open) connection.pragma('wal_autocheckpoint = 1000');
  });
  return {
    db,
    engine: 'sqlite',
    description: `sqlite:${file}`,
    durable: () => walSync.sync(),
    close: async () => {
      await walSync.close();
      await checkpointer.close();
      await db.destroy();
    },
  };
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running
 * most of our statements. The set of distinct SQL texts is small and fixed (parameters are
 * bound), so prepared statements are kept and reused.
 */
function withStatementCache(connection: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sqlText: string) {
      let statement = statements.get(sqlText);
      if (!statement) {
        if (statements.size >= 2000) statements.clear();
        statement = connection.prepare(sqlText);
        statements.set(sqlText, statement);
      }
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
    close() {
      connection.close();
    },
  };
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
  // PostgreSQL commits are durable when they return (synchronous_commit = on).
  return { db, engine: 'postgres', description: safeUrl + (schema ? ` (schema ${schema})` : ''), durable: () => Promise.resolve(), close: () => db.destroy() };
}

/** Applies every pending migration; safe to call from several nodes at once (Kysely takes a lock). */
export async function migrateToLatest(open: OpenDatabase, pgSchema?: string): Promise<string[]> {
  if (open.engine === 'postgres' && pgSchema) {
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(pgSchema)}`.execute(open.db);
  }
  // Kysely looks for its bookkeeping tables in every schema unless told which: two test schemas
  // migrating at once would each see the other's lock table and skip creating their own.
  const migrator = new Migrator({ db: open.db, provider: migrationProvider, ...(open.engine === 'postgres' && pgSchema ? { migrationTableSchema: pgSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const failed = results?.find((r) => r.status === 'Error');
  if (failed) throw new Error(`migration ${failed.migrationName} failed`);
  return (results ?? []).map((r) => r.migrationName);
}
