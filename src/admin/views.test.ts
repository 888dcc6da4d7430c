import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { authenticate } from '../directory/accounts.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../store/sql/database.js';
import { ensureOrganization } from './bootstrap.js';
import type { AdminContext } from './context.js';
import { addSharedMailbox, listSharedMailboxes, showSharedMailbox } from './shared-mailboxes.js';

describe('shared mailbox view: storage used', () => {
  let dir: string;
  let database: OpenDatabase;
  let admin: AdminContext;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-views-'));
    database = openDatabase({ dataDir: dir });
    await migrateToLatest(database);
    await ensureOrganization(database.db, 'contoso.com', 'Admin-pass-1');
    admin = { db: database.db, actor: await authenticate(database.db, 'admin@contoso.com', 'Admin-pass-1') };
  });
  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is 0 for a new mailbox and follows the usage counter the quotas use', async () => {
    const created = await addSharedMailbox(admin, { displayName: 'Sales Team' });
    assert.equal(created.storageUsedBytes, 0);
    // The delivery pipeline keeps this counter (store/mail/message-writer.ts); the view only reads it.
    await database.db.insertInto('mailbox_usage').values({ mailbox_id: created.id, bytes: 123_456, messages: 3, warned: 0 }).execute();
    assert.equal((await showSharedMailbox(admin, 'salesteam@contoso.com')).storageUsedBytes, 123_456);
    assert.deepEqual((await listSharedMailboxes(admin)).map((m) => [m.primaryAddress, m.storageUsedBytes]), [['salesteam@contoso.com', 123_456]]);
  });
});
