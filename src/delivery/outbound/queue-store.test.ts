import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { newId } from '../../core/ids.js';
import { BlobStore } from '../../store/blob/blob-store.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../store/sql/database.js';
import { claimDue, deferRow, nextWakeAt, removeRow } from './queue-store.js';

interface Store { database: OpenDatabase; close(): Promise<void> }
type Open = () => Promise<Store | { skip: string }>;

async function openSqlite(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-queue-'));
  const database = openDatabase({ dataDir: dir });
  await migrateToLatest(database);
  return { database, close: async () => { await database.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const pgUrl = (() => {
  const url = new URL(process.env.MAILROOM_TEST_DATABASE_URL || 'postgres://127.0.0.1:5432/test');
  if (!url.username && !process.env.PGUSER && !process.env.USER) url.username = userInfo().username;
  return url.toString();
})();

async function openPostgres(): Promise<Store | { skip: string }> {
  const probe = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try {
    await probe.connect();
  } catch (err) {
    return { skip: `PostgreSQL is not reachable (${(err as { code?: string }).code ?? String(err)})` };
  } finally {
    await probe.end().catch(() => undefined);
  }
  const schema = `mr_test_${randomBytes(8).toString('hex')}`;
  const database = openDatabase({ url: pgUrl, dataDir: '', pgSchema: schema });
  await migrateToLatest(database, schema);
  return {
    database,
    close: async () => {
      try { await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(database.db); } finally { await database.close(); }
    },
  };
}

/** Queues `count` rows for one stored blob, due at `due`. */
async function seed(database: OpenDatabase, count: number, due: Date): Promise<string> {
  const hash = randomBytes(32).toString('hex');
  await database.db.insertInto('blobs').values({ hash, size: 10, refcount: count, data: Buffer.from('0123456789'), created_at: new Date().toISOString() }).execute();
  for (let i = 0; i < count; i++) {
    await database.db.insertInto('outbound_queue').values({
      id: newId(), blob_hash: hash, mail_from: 'a@contoso.com', recipient: `r${i}@example.net`, attempts: 0,
      next_attempt_at: due.toISOString(), expires_at: new Date(due.getTime() + 86_400_000).toISOString(), last_error: null,
      created_at: new Date().toISOString(), locked_until: null,
    }).execute();
  }
  return hash;
}

function defineQueueStoreTests(engine: string, open: Open): void {
  describe(`outbound queue store (${engine})`, () => {
    const test = (name: string, body: (database: OpenDatabase) => Promise<void>) => it(name, async (t) => {
      const store = await open();
      if ('skip' in store) return t.skip(store.skip);
      try { await body(store.database); } finally { await store.close(); }
    });

    test('claims only due rows nobody holds, and leases them until the lease ends', async (database) => {
      const now = new Date();
      await seed(database, 3, new Date(now.getTime() - 1000));
      await seed(database, 2, new Date(now.getTime() + 60_000));
      const lease = new Date(now.getTime() + 5000);
      const first = await claimDue(database.db, database.engine, now, lease, 10);
      assert.equal(first.length, 3);
      assert.ok(first.every((r) => r.locked_until === lease.toISOString()));
      assert.equal((await claimDue(database.db, database.engine, now, lease, 10)).length, 0, 'leased rows are not claimed again');
      const afterLease = await claimDue(database.db, database.engine, new Date(now.getTime() + 6000), new Date(now.getTime() + 20_000), 10);
      assert.equal(afterLease.length, 3, 'a lease that ran out (a crashed node) frees its rows');
      // A held row is claimable when its lease ends, not at its (past) attempt time: no busy polling meanwhile.
      assert.equal((await nextWakeAt(database.db))?.toISOString(), new Date(now.getTime() + 20_000).toISOString());
    });

    test('concurrent claims never take the same row', async (database) => {
      const now = new Date();
      await seed(database, 20, new Date(now.getTime() - 1000));
      const lease = new Date(now.getTime() + 60_000);
      const claims = await Promise.all([0, 1, 2, 3].map(() => claimDue(database.db, database.engine, now, lease, 8)));
      const ids = claims.flat().map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, `no row twice: ${claims.map((c) => c.length).join(' + ')}`);
      assert.equal(ids.length, 20, 'and together they take every due row');
    });

    if (engine === 'PostgreSQL') {
      test('a claim skips rows another node is claiming right now instead of waiting for it (SKIP LOCKED)', async (database) => {
        const now = new Date();
        await seed(database, 6, new Date(now.getTime() - 1000));
        const lease = new Date(now.getTime() + 60_000);
        let release!: () => void;
        const held = new Promise<void>((resolve) => { release = resolve; });
        let lockedIds: string[] = [];
        const otherNode = database.db.transaction().execute(async (tx) => {
          lockedIds = (await tx.selectFrom('outbound_queue').select('id').orderBy('recipient').limit(4).forUpdate().execute()).map((r) => r.id);
          await held;
        });
        while (lockedIds.length === 0) await new Promise((r) => setTimeout(r, 5));
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the claim waited for the other node\'s locks')), 3000));
        try {
          const claimed = await Promise.race([claimDue(database.db, database.engine, now, lease, 10), timeout]);
          assert.equal(claimed.length, 2);
          assert.ok(claimed.every((r) => !lockedIds.includes(r.id)));
        } finally {
          release();
          await otherNode;
        }
      });
    }

    test('deferring ends the lease; removing releases the blob once', async (database) => {
      const now = new Date();
      const hash = await seed(database, 1, new Date(now.getTime() - 1000));
      const [row] = await claimDue(database.db, database.engine, now, new Date(now.getTime() + 60_000), 1);
      assert.ok(row);
      const next = new Date(now.getTime() + 30_000);
      await deferRow(database.db, row, next, '451 later');
      const deferred = await database.db.selectFrom('outbound_queue').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.deepEqual([deferred.attempts, deferred.locked_until, deferred.last_error, deferred.next_attempt_at], [1, null, '451 later', next.toISOString()]);
      assert.equal((await nextWakeAt(database.db))?.toISOString(), next.toISOString());
      const blobs = new BlobStore('/nonexistent');
      assert.equal(await removeRow(database.db, blobs, row), true);
      assert.equal(await removeRow(database.db, blobs, row), false, 'the second remover finds nothing and releases nothing');
      const blob = await database.db.selectFrom('blobs').select('refcount').where('hash', '=', hash).executeTakeFirstOrThrow();
      assert.equal(Number(blob.refcount), 0);
      assert.equal(await nextWakeAt(database.db), null);
    });
  });
}

defineQueueStoreTests('SQLite', openSqlite);
defineQueueStoreTests('PostgreSQL', openPostgres);
