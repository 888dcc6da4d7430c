import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from './database.js';
import { WalCheckpointer } from './wal-checkpointer.js';

describe('WAL checkpoints on a worker thread', () => {
  it('copies committed pages into the database file while the main connection keeps writing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-checkpoint-'));
    const opened = openDatabase({ dataDir });
    try {
      await migrateToLatest(opened);
      const file = join(dataDir, 'mailroom.sqlite');
      const before = statSync(file).size;
      // The main connection never checkpoints (wal_autocheckpoint = 0): only the worker can grow the database file.
      const row = 'x'.repeat(4000);
      for (let i = 0; i < 500; i++) await sql`INSERT INTO meta (key, value) VALUES (${`k${i}`}, ${row})`.execute(opened.db);
      const deadline = Date.now() + 5000;
      while (statSync(file).size < before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.ok(statSync(file).size >= before + 1_000_000, `database file grew from ${before} to ${statSync(file).size} bytes`);
    } finally {
      await opened.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reports a thread that dies, so SQLite checkpoints can be turned back on', async () => {
    // The thread is unreferenced (it never keeps a process alive): hold the event loop open meanwhile.
    const hold = setTimeout(() => undefined, 10_000);
    const failed = await new Promise<unknown>((resolve) => {
      const checkpointer = new WalCheckpointer(join(tmpdir(), 'no-such-dir-for-mailroom', 'x.sqlite'), resolve, 10);
      void checkpointer;
    });
    clearTimeout(hold);
    assert.ok(failed instanceof Error);
  });
});
