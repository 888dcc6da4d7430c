import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Forbidden, NotFound } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { insertOutbound } from '../delivery/job-writer.js';
import { authenticate } from '../directory/accounts.js';
import { listAudit } from '../directory/audit-log.js';
import { BlobStore } from '../store/blob/blob-store.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../store/sql/database.js';
import { ensureOrganization } from './bootstrap.js';
import type { AdminContext } from './context.js';
import { listQueue, removeQueueItem, retryQueueItem } from './queue.js';
import { addUser } from './users.js';

describe('outbound queue administration', () => {
  let dir: string;
  let database: OpenDatabase;
  let blobs: BlobStore;
  let admin: AdminContext;
  let exchangeAdmin: AdminContext;
  let hash: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-queue-admin-'));
    database = openDatabase({ dataDir: dir });
    await migrateToLatest(database);
    const db = database.db;
    await ensureOrganization(db, 'contoso.com', 'Admin-pass-1');
    admin = { db, actor: await authenticate(db, 'admin@contoso.com', 'Admin-pass-1') };
    await addUser(admin, { address: 'eve@contoso.com', displayName: 'Eve', password: 'Eve-pass-1', roles: ['exchange-admin'] });
    exchangeAdmin = { db, actor: await authenticate(db, 'eve@contoso.com', 'Eve-pass-1') };
    blobs = new BlobStore(join(dir, 'blobs'));
    const raw = Buffer.from('Subject: queued\r\n\r\nbody\r\n');
    const staged = await blobs.stage(raw);
    hash = staged.hash;
    await db.transaction().execute(async (tx) => {
      await blobs.reference(tx, staged, 1);
      await insertOutbound(tx, blobs, hash, raw.length, [{ recipient: 'a@example.net', mailFrom: 'alice@contoso.com' }, { recipient: 'b@example.net', mailFrom: '' }], 3_600_000);
      await blobs.release(tx, hash, 1);
    });
    await db.updateTable('outbound_queue').set({ next_attempt_at: new Date(Date.now() + 600_000).toISOString(), attempts: 2, last_error: '451 4.3.0 later' }).execute();
  });
  after(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const refcount = async () => Number((await database.db.selectFrom('blobs').select('refcount').where('hash', '=', hash).executeTakeFirstOrThrow()).refcount);

  it('is for the Global Administrator only: the queue is organization-wide', async () => {
    await assert.rejects(listQueue(exchangeAdmin), (err) => err instanceof Forbidden && err.message === messages.permissionDenied);
    const [item] = await listQueue(admin);
    await assert.rejects(retryQueueItem(exchangeAdmin, item!.id), Forbidden);
    await assert.rejects(removeQueueItem(exchangeAdmin, blobs, item!.id), Forbidden);
  });

  it('lists every entry with its attempts, next try and last error', async () => {
    // Both were queued in the same transaction, so their order among themselves is arbitrary.
    const items = (await listQueue(admin)).sort((x, y) => x.recipient.localeCompare(y.recipient));
    assert.deepEqual(items.map((i) => [i.recipient, i.mailFrom, i.size, i.attempts, i.lastError, i.inFlight]), [
      ['a@example.net', 'alice@contoso.com', 25, 2, '451 4.3.0 later', false],
      ['b@example.net', '', 25, 2, '451 4.3.0 later', false],
    ]);
  });

  it('retry makes an entry due now, audited', async () => {
    const item = (await listQueue(admin)).find((i) => i.recipient === 'a@example.net')!;
    const retried = await retryQueueItem(admin, item.id);
    assert.ok(Date.parse(retried.nextAttemptAt) <= Date.now());
    assert.equal(retried.attempts, 2);
    const [entry] = await listAudit(database.db, { action: 'queue.retry' });
    assert.equal(entry?.actor, 'admin@contoso.com');
    assert.equal(entry?.target, 'a@example.net');
  });

  it('remove deletes an entry and releases its hold on the stored message, audited; an unknown id is not found', async () => {
    assert.equal(await refcount(), 2);
    const item = (await listQueue(admin)).find((i) => i.recipient === 'b@example.net')!;
    await removeQueueItem(admin, blobs, item.id);
    assert.equal(await refcount(), 1);
    assert.deepEqual((await listQueue(admin)).map((i) => i.recipient), ['a@example.net']);
    const [entry] = await listAudit(database.db, { action: 'queue.remove' });
    assert.equal(entry?.target, 'b@example.net');
    assert.equal((entry?.before as { id: string }).id, item.id);
    const gone = `The queued message "${item.id}" wasn't found. It may have been delivered or removed.`;
    await assert.rejects(removeQueueItem(admin, blobs, item.id), (err) => err instanceof NotFound && err.message === gone);
    await assert.rejects(retryQueueItem(admin, item.id), NotFound);
    assert.equal(await refcount(), 1, 'a second remove releases nothing');
  });
});
