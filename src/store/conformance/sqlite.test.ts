import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Each test gets its own SQLite file in a fresh temporary directory, removed afterwards. */
async function openSqlite(): Promise<OpenedStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-conformance-'));
  const opened = openDatabase({ dataDir });
  const close = async (): Promise<void> => {
    try {
      await opened.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    await migrateToLatest(opened);
  } catch (err) {
    await close();
    throw err;
  }
  return { db: opened.db, engine: opened.engine, close };
}

defineDirectoryConformance('SQLite', openSqlite);
defineMailboxConformance('SQLite', openSqlite);
defineMailboxSettingsConformance('SQLite', openSqlite);
defineAccessConformance('SQLite', openSqlite);
defineRecoveryConformance('SQLite', openSqlite);
defineFulltextConformance('SQLite', openSqlite);
defineDeliveryLookupConformance('SQLite', openSqlite);
defineCalendarConformance('SQLite', openSqlite);
