import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Forbidden, InvalidInput, NotFound } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { indexMessage } from '../delivery/index-message.js';
import { authenticate } from '../directory/accounts.js';
import { listAudit } from '../directory/audit-log.js';
import { BlobStore } from '../store/blob/blob-store.js';
import { ChangeFeed, type MailChange } from '../store/change-feed.js';
import { expungeMessages } from '../store/mail/expunge.js';
import { inboxOf } from '../store/mail/folders.js';
import { appendMessage } from '../store/mail/message-writer.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../store/sql/database.js';
import { ensureOrganization } from './bootstrap.js';
import type { AdminContext } from './context.js';
import { addMembers } from './members.js';
import { listRecoverableItems, recoverMailbox, type RecoveryDeps } from './recovery.js';
import { addSharedMailbox } from './shared-mailboxes.js';
import { addUser } from './users.js';

describe('recovering deleted mail (administration)', () => {
  let dir: string;
  let database: OpenDatabase;
  let deps: RecoveryDeps;
  let admin: AdminContext;
  let exchangeAdmin: AdminContext;
  let bob: AdminContext;
  let infoId: string;
  const published: MailChange[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-recovery-admin-'));
    database = openDatabase({ dataDir: dir });
    await migrateToLatest(database);
    const db = database.db;
    await ensureOrganization(db, 'contoso.com', 'Admin-pass-1');
    admin = { db, actor: await authenticate(db, 'admin@contoso.com', 'Admin-pass-1') };
    await addUser(admin, { address: 'eve@contoso.com', displayName: 'Eve', password: 'Eve-pass-1', roles: ['exchange-admin'] });
    await addUser(admin, { address: 'bob@contoso.com', displayName: 'Bob', password: 'Bob-pass-1' });
    exchangeAdmin = { db, actor: await authenticate(db, 'eve@contoso.com', 'Eve-pass-1') };
    bob = { db, actor: await authenticate(db, 'bob@contoso.com', 'Bob-pass-1') };
    infoId = (await addSharedMailbox(admin, { displayName: 'Info', address: 'info@contoso.com' })).id;
    await addMembers(admin, 'info@contoso.com', ['bob@contoso.com']);
    const feed = new ChangeFeed();
    feed.subscribe(infoId, (change) => published.push(change));
    deps = { engine: database.engine, blobs: new BlobStore(join(dir, 'blobs')), feed, recoveryDays: 14 };

    const inbox = await inboxOf(db, infoId);
    for (const subject of ['First', 'Second']) {
      const raw = Buffer.from(`Subject: ${subject}\r\nFrom: a@fabrikam.example\r\n\r\nHello.\r\n`);
      const blob = await deps.blobs.stage(raw);
      await db.transaction().execute(async (tx) => {
        await deps.blobs.reference(tx, blob, 1);
        await appendMessage(tx, database.engine, { folder: inbox, blob, indexed: indexMessage(raw), flags: [], internalDate: new Date().toISOString() });
      });
    }
    await expungeMessages(db, database.engine, { folderId: inbox.id, uids: [1, 2], actor: bob.actor });
  });
  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is for Exchange and Global Administrators: a member cannot list or restore', async () => {
    await assert.rejects(listRecoverableItems(bob, deps, 'info@contoso.com'), (err) => err instanceof Forbidden && err.message === messages.permissionDenied);
    await assert.rejects(recoverMailbox(bob, deps, 'info@contoso.com'), (err) => err instanceof Forbidden && err.message === messages.permissionDenied);
    assert.equal((await listRecoverableItems(exchangeAdmin, deps, 'info@contoso.com')).length, 2);
  });

  it('lists what can be restored, with who deleted it and until when', async () => {
    const items = await listRecoverableItems(admin, deps, 'INFO@contoso.com');
    assert.deepEqual(items.map((i) => [i.folder, i.uid, i.subject, i.expungedBy]).sort(), [['INBOX', 1, 'First', 'bob@contoso.com'], ['INBOX', 2, 'Second', 'bob@contoso.com']]);
    for (const item of items) {
      assert.equal(Date.parse(item.recoverableUntil) - Date.parse(item.expungedAt), 14 * 86_400_000);
      assert.ok(item.size > 0);
    }
    assert.deepEqual(await listRecoverableItems(admin, deps, 'info@contoso.com', 1), [items[0]]);
  });

  it('refuses a time that is not ISO 8601, and mailboxes that do not exist', async () => {
    for (const since of ['yesterday', '1', '2026-13-45']) {
      await assert.rejects(recoverMailbox(admin, deps, 'info@contoso.com', { since }),
        (err) => err instanceof InvalidInput && err.message === `"${since}" is not an ISO 8601 time.` && err.field === 'since');
    }
    await assert.rejects(recoverMailbox(admin, deps, 'nobody@contoso.com'), (err) => err instanceof NotFound && err.message === messages.unknownRecipient('nobody@contoso.com'));
    await assert.rejects(listRecoverableItems(admin, deps, 'nobody@contoso.com'), NotFound);
    assert.equal((await listRecoverableItems(admin, deps, 'info@contoso.com')).length, 2, 'nothing restored');
  });

  it('restores for everyone, tells the change feed, and records who restored what', async () => {
    assert.deepEqual(await recoverMailbox(exchangeAdmin, deps, 'info@contoso.com', { since: '2999-01-01' }), [], 'nothing deleted since then');
    const restored = await recoverMailbox(exchangeAdmin, deps, 'info@contoso.com', { since: '2020-01-01T00:00:00+01:00' });
    assert.deepEqual(restored.map((r) => [r.folder, r.uid, r.subject, r.expungedBy]).sort(), [['INBOX', 3, 'First', 'bob@contoso.com'], ['INBOX', 4, 'Second', 'bob@contoso.com']]);
    assert.deepEqual(published.filter((c) => c.kind === 'message-added').map((c) => c.kind === 'message-added' && c.uid).sort(), [3, 4]);
    const [entry, ...others] = await listAudit(admin.db, { action: 'mailbox.recover' });
    assert.equal(others.length, 0, 'one entry for the one recovery that restored something');
    assert.deepEqual([entry?.actor, entry?.target, entry?.after], ['eve@contoso.com', 'info@contoso.com', { since: '2019-12-31T23:00:00.000Z', messages: restored }]);
    assert.deepEqual(await listRecoverableItems(admin, deps, 'info@contoso.com'), []);
  });
});
