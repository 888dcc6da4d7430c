import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureOrganization } from '../../admin/bootstrap.js';
import { addSharedMailbox, removeSharedMailbox } from '../../admin/shared-mailboxes.js';
import { authenticate } from '../../directory/accounts.js';
import { requireRecipient } from '../../directory/recipients.js';
import { BlobStore } from '../../store/blob/blob-store.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../store/sql/database.js';
import type { DeliveryJobTable } from '../../store/sql/mail-schema.js';
import { DeliveryBatch } from '../delivery-batch.js';
import { indexMessage } from '../index-message.js';
import type { DeliveryContext } from '../pipeline-types.js';
import { storeSentCopy } from './sent-copy.js';

describe('sent-copy stage', () => {
  let dataDir: string;
  let opened: OpenDatabase;
  let blobs: BlobStore;
  const raw = Buffer.from('From: Info <info@contoso.com>\r\nSender: Alice <alice@contoso.com>\r\nSubject: Sent as info\r\n\r\nHello\r\n');

  /** Runs the stage inside a transaction, as the worker does, with the job's reference to the blob in place. */
  const run = async (mailboxId: string): Promise<DeliveryContext> => {
    const staged = await blobs.stage(raw);
    await blobs.reference(opened.db, staged, 1);
    const job: DeliveryJobTable = {
      id: 'job-1', blob_hash: staged.hash, mail_from: 'info@contoso.com', recipients_json: '["bob@fabrikam.example"]', source: 'submission',
      submitter_id: null, sent_copy_mailbox_id: mailboxId, received_at: '2026-01-05T10:00:00.000Z', attempts: 0, next_attempt_at: '2026-01-05T10:00:00.000Z', last_error: null,
    };
    return opened.db.transaction().execute(async (tx) => {
      const batch = new DeliveryBatch(tx, opened.engine, blobs);
      const ctx: DeliveryContext = batch.contextFor(job, raw, indexMessage(raw));
      await storeSentCopy(ctx, mailboxId);
      await batch.write();
      return ctx;
    });
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-sent-copy-'));
    opened = openDatabase({ dataDir });
    await migrateToLatest(opened);
    await ensureOrganization(opened.db, 'contoso.com', 'Admin-password-1');
    const admin = { db: opened.db, actor: await authenticate(opened.db, 'admin@contoso.com', 'Admin-password-1') };
    await addSharedMailbox(admin, { displayName: 'Info', address: 'info@contoso.com' });
    await addSharedMailbox(admin, { displayName: 'Gone', address: 'gone@contoso.com' });
    await removeSharedMailbox(admin, 'gone@contoso.com');
    blobs = new BlobStore(join(dataDir, 'blobs'));
  });
  after(async () => {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('stores one copy in the Sent Items folder, marked \\Seen, on the same blob, and publishes it', async () => {
    const info = await requireRecipient(opened.db, 'info@contoso.com');
    const ctx = await run(info.id);
    const rows = await opened.db.selectFrom('messages').innerJoin('folders', 'folders.id', 'messages.folder_id')
      .select(['folders.name', 'folders.special_use', 'messages.flags', 'messages.subject', 'messages.internal_date', 'messages.blob_hash', 'messages.uid'])
      .where('folders.mailbox_id', '=', info.id).execute();
    assert.deepEqual(rows, [{ name: 'Sent Items', special_use: '\\Sent', flags: '\\Seen', subject: 'Sent as info', internal_date: '2026-01-05T10:00:00.000Z', blob_hash: ctx.job.blob_hash, uid: 1 }]);
    const blob = await opened.db.selectFrom('blobs').select('refcount').where('hash', '=', ctx.job.blob_hash).executeTakeFirstOrThrow();
    assert.equal(blob.refcount, 2, "the job's reference and the copy's");
    assert.deepEqual(ctx.effects.changes.map((c) => [c.kind, c.mailboxId]), [['message-added', info.id]]);
    assert.equal((await opened.db.selectFrom('mailbox_usage').select('bytes').where('mailbox_id', '=', info.id).executeTakeFirstOrThrow()).bytes, raw.length);
  });

  test('a mailbox removed since the message was accepted gets nothing, and nothing fails', async () => {
    const ctx = await run('00000000-0000-0000-0000-000000000000');
    assert.deepEqual(ctx.effects.changes, []);
  });
});
