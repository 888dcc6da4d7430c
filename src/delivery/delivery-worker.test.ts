import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureOrganization } from '../admin/bootstrap.js';
import { addGroup, changeGroupMembers } from '../admin/groups.js';
import { addUser } from '../admin/users.js';
import { createLogger } from '../core/logger.js';
import { authenticate } from '../directory/accounts.js';
import { requireRecipient } from '../directory/recipients.js';
import { BlobStore } from '../store/blob/blob-store.js';
import { ChangeFeed, type MailChange } from '../store/change-feed.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../store/sql/database.js';
import { AcceptQueue } from './accept-queue.js';
import { DeliveryWorker } from './delivery-worker.js';
import { indexMessage } from './index-message.js';
import { queueNonDeliveryReport } from './non-delivery-report.js';
import { mailboxStages } from './stages/index.js';

describe('delivery worker: batches', () => {
  let dataDir: string;
  let opened: OpenDatabase;
  let blobs: BlobStore;
  const members = ['ann', 'ben', 'cat'].map((name) => `${name}@contoso.com`);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-delivery-'));
    opened = openDatabase({ dataDir });
    await migrateToLatest(opened);
    await ensureOrganization(opened.db, 'contoso.com', 'Admin-password-1');
    const admin = { db: opened.db, actor: await authenticate(opened.db, 'admin@contoso.com', 'Admin-password-1') };
    for (const address of members) await addUser(admin, { address, displayName: address, password: 'Member-password-1' });
    await addGroup(admin, { address: 'team@contoso.com', displayName: 'Team', type: 'distribution' });
    await changeGroupMembers(admin, 'team@contoso.com', members, 'add');
    blobs = new BlobStore(join(dataDir, 'blobs'));
  });
  after(async () => {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every job once, in order, when a batch stops early at its copy limit', async () => {
    const feed = new ChangeFeed();
    const changes: MailChange[] = [];
    feed.subscribeAll((change) => changes.push(change));
    const worker = new DeliveryWorker({
      db: opened.db, engine: opened.engine, blobs, feed, logger: createLogger('silent'), index: indexMessage,
      stages: mailboxStages((sender) => sender), nonDeliveryReport: queueNonDeliveryReport('mx.contoso.com'), outboundLifetimeMs: 3600_000,
      gatherMs: 1, batchSize: 16,
      // Two group messages (3 copies each) per transaction at most: the other four wait for later ones.
      maxCopiesPerBatch: 4,
    });
    const accept = new AcceptQueue(opened.db, blobs, () => undefined, () => opened.durable());
    const subjects = ['one', 'two', 'three', 'four', 'five', 'six'];
    for (const subject of subjects) {
      await accept.accept({ raw: Buffer.from(`From: x@fabrikam.example\r\nSubject: ${subject}\r\n\r\n${subject}\r\n`), mailFrom: 'x@fabrikam.example', recipients: ['team@contoso.com'], source: 'mx' });
    }
    worker.start();
    const deadline = Date.now() + 10_000;
    while (changes.length < subjects.length * members.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    for (const address of members) {
      const { id } = await requireRecipient(opened.db, address);
      const rows = await opened.db.selectFrom('messages').innerJoin('folders', 'folders.id', 'messages.folder_id')
        .select(['messages.uid', 'messages.subject']).where('folders.mailbox_id', '=', id).orderBy('messages.uid').execute();
      assert.deepEqual(rows.map((r) => [Number(r.uid), r.subject]), subjects.map((s, i) => [i + 1, s]), address);
    }
    assert.equal(changes.length, subjects.length * members.length);
    assert.equal((await opened.db.selectFrom('delivery_jobs').selectAll().execute()).length, 0);
    // Each blob: one reference per copy, the job's own released.
    const refcounts = await opened.db.selectFrom('blobs').select('refcount').execute();
    assert.deepEqual(refcounts.map((r) => Number(r.refcount)), subjects.map(() => members.length));
    assert.equal(Number((await opened.db.selectFrom('blob_text').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), subjects.length);
  });
});
