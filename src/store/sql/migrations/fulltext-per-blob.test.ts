import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { messagesMatchingText } from '../../mail/blob-text.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../database.js';
import type { Database } from '../schema.js';
import { migrationProvider } from './index.js';

/** Rows as a store at migration 0005 had them: two copies of one blob (text per message) and one other message. */
async function seedBefore0006(db: Kysely<Database>, engine: OpenDatabase['engine']): Promise<void> {
  const now = '2025-11-24T10:00:00.000Z';
  await db.insertInto('recipients').values({ id: 'r1', kind: 'user', display_name: 'Bob', alias: 'bob', primary_address: 'bob@contoso.com', hidden: 0, mail_enabled: 1, created_at: now }).execute();
  await db.insertInto('folders').values([
    { id: 'f1', mailbox_id: 'r1', name: 'INBOX', special_use: null, uidvalidity: 1, uidnext: 3, highest_modseq: 3, created_at: now },
    { id: 'f2', mailbox_id: 'r1', name: 'Archive', special_use: '\\Archive', uidvalidity: 1, uidnext: 2, highest_modseq: 2, created_at: now },
  ]).execute();
  await db.insertInto('blobs').values([
    { hash: 'h1', size: 10, refcount: 2, data: Buffer.from('x'), created_at: now },
    { hash: 'h2', size: 10, refcount: 1, data: Buffer.from('y'), created_at: now },
  ]).execute();
  const message = (id: string, folder: string, uid: number, hash: string, subject: string) => ({
    id, folder_id: folder, uid, modseq: uid, blob_hash: hash, size: 10, internal_date: now, flags: '', structure_json: '{}', subject,
    from_text: '', to_text: '', cc_text: '', date_sent: null, message_id: null, in_reply_to: null, thread_refs: '',
  });
  await db.insertInto('messages').values([message('m1', 'f1', 1, 'h1', 'Figures'), message('m2', 'f2', 1, 'h1', 'Figures'), message('m3', 'f1', 2, 'h2', 'Lunch')]).execute();
  const texts = [['m1', 'Figures', 'aubergine report'], ['m2', 'Figures', 'aubergine report'], ['m3', 'Lunch', 'soup']] as const;
  for (const [id, subject, body] of texts) {
    if (engine === 'postgres') await sql`UPDATE messages SET search_vector = to_tsvector('simple', ${subject} || ' ' || ${body}) WHERE id = ${id}`.execute(db);
    else await sql`INSERT INTO message_text (message_id, subject, body) VALUES (${id}, ${subject}, ${body})`.execute(db);
  }
}

async function checkMigration(opened: OpenDatabase, pgSchema?: string): Promise<void> {
  const migrator = new Migrator({ db: opened.db, provider: migrationProvider, ...(pgSchema ? { migrationTableSchema: pgSchema } : {}) });
  const { error } = await migrator.migrateTo('0005-recovery');
  if (error) throw error;
  await seedBefore0006(opened.db, opened.engine);
  await migrateToLatest(opened, pgSchema);
  const rows = await opened.db.selectFrom('blob_text').select('blob_hash').orderBy('blob_hash').execute();
  assert.deepEqual(rows.map((r) => r.blob_hash), ['h1', 'h2'], 'one text row per blob');
  const hits = await messagesMatchingText(opened.db, opened.engine, 'aubergine');
  assert.deepEqual(hits.map((h) => [h.folderId, h.uid]), [['f1', 1], ['f2', 1]]);
  assert.deepEqual((await messagesMatchingText(opened.db, opened.engine, 'lunch')).map((h) => h.uid), [2], 'subjects carried over');
}

describe('migration 0006: full text per blob', () => {
  it('SQLite: carries the text of message_text over once per blob', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-0006-'));
    const opened = openDatabase({ dataDir });
    try {
      await checkMigration(opened);
      const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name = 'message_text'`.execute(opened.db);
      assert.deepEqual(rows, [], 'message_text is gone');
    } finally {
      await opened.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: carries messages.search_vector over once per blob', async (t) => {
    const configured = new URL(process.env.MAILROOM_TEST_DATABASE_URL || 'postgres://127.0.0.1:5432/test');
    // As the conformance suite does: with no user anywhere, sign in as the operating-system user (like psql).
    if (!configured.username && !process.env.PGUSER && !process.env.USER) configured.username = userInfo().username;
    const url = configured.toString();
    const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await probe.connect();
    } catch {
      t.skip(`PostgreSQL at ${url} is not reachable`);
      return;
    } finally {
      await probe.end().catch(() => undefined);
    }
    const schema = `mr_test_${randomBytes(8).toString('hex')}`;
    const opened = openDatabase({ url, dataDir: '', pgSchema: schema });
    try {
      await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(opened.db);
      await checkMigration(opened, schema);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = ${schema} AND table_name = 'messages' AND column_name = 'search_vector'`.execute(opened.db);
      assert.equal(rows[0]?.n, 0, 'messages.search_vector is gone');
    } finally {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(opened.db).catch(() => undefined);
      await opened.close();
    }
  });
});
