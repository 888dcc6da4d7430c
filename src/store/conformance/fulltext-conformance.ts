import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { sql } from 'kysely';
import { indexMessage } from '../../delivery/index-message.js';
import { requireRecipient } from '../../directory/recipients.js';
import { BlobStore, type StagedBlob } from '../blob/blob-store.js';
import { messagesMatchingText, releaseBlobText } from '../mail/blob-text.js';
import { ensureDefaultFolders, findFolder, type Folder } from '../mail/folders.js';
import { MessageBatch } from '../mail/message-batch.js';
import { mailboxUsage } from '../mail/message-writer.js';
import { addUsers, orgTest, type OpenStore, type Org } from './harness.js';

const raw = (subject: string, body: string): Buffer => Buffer.from(
  `From: partner@fabrikam.example\r\nTo: team@contoso.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@fabrikam.example>\r\n\r\n${body}\r\n`,
);

async function inboxOf(org: Org, address: string): Promise<Folder> {
  const { id } = await requireRecipient(org.db, address);
  await ensureDefaultFolders(org.db, id);
  return (await findFolder(org.db, id, 'INBOX')) ?? assert.fail('no INBOX');
}

/** Stores one blob in each folder in one batch, with one reference per copy, as delivery does. */
async function store(org: Org, blobs: BlobStore, bytes: Buffer, folders: readonly Folder[]): Promise<StagedBlob> {
  const blob = await blobs.stage(bytes);
  const indexed = indexMessage(bytes);
  await org.db.transaction().execute(async (tx) => {
    const batch = new MessageBatch();
    for (const folder of folders) batch.add({ folderId: folder.id, mailboxId: folder.mailbox_id, blob, indexed, flags: [], internalDate: '2025-11-24T10:00:00.000Z' });
    await blobs.referenceAll(tx, folders.map(() => blob));
    await batch.write(tx, org.engine);
  });
  return blob;
}

const textRows = async (org: Org): Promise<number> => Number((await org.db.selectFrom('blob_text').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const ftsRows = async (org: Org): Promise<number | undefined> => org.engine === 'sqlite'
  ? Number((await sql<{ n: number }>`SELECT count(*) AS n FROM blob_text_fts`.execute(org.db)).rows[0]?.n)
  : undefined;

function fulltextTest(open: OpenStore, name: string, body: (org: Org, blobs: BlobStore) => Promise<void>): void {
  orgTest(open, name, async (org) => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-fulltext-'));
    try {
      await addUsers(org, 'Bob', 'Carol', 'Dave');
      await body(org, new BlobStore(join(dir, 'blobs')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** The full-text index kept once per blob (migration 0006), and the batched message writer. */
export function defineFulltextConformance(name: string, open: OpenStore): void {
  describe(`${name} full-text conformance`, () => {
    fulltextTest(open, 'a blob held by many messages is indexed once, and every copy is found', async (org, blobs) => {
      const inboxes = await Promise.all(['bob', 'carol', 'dave'].map((u) => inboxOf(org, `${u}@contoso.com`)));
      await store(org, blobs, raw('Quarterly figures', 'The aubergine report is attached.'), inboxes);
      await store(org, blobs, raw('Lunch', 'Soup of the day.'), [inboxes[0]!]);
      assert.equal(await textRows(org), 2, 'one text row per blob, not per message');
      if (org.engine === 'sqlite') assert.equal(await ftsRows(org), 2);
      const hits = await messagesMatchingText(org.db, org.engine, 'aubergine');
      assert.deepEqual(new Set(hits.map((h) => h.folderId)), new Set(inboxes.map((f) => f.id)));
      assert.deepEqual(hits.map((h) => h.subject), ['Quarterly figures', 'Quarterly figures', 'Quarterly figures']);
      assert.deepEqual((await messagesMatchingText(org.db, org.engine, 'figures', inboxes[1]!.id)).map((h) => [h.folderId, h.uid]), [[inboxes[1]!.id, 1]], 'subject words, within one folder');
      assert.deepEqual((await messagesMatchingText(org.db, org.engine, 'soup', inboxes[0]!.id)).map((h) => h.uid), [2]);
      assert.deepEqual(await messagesMatchingText(org.db, org.engine, 'soup', inboxes[1]!.id), []);
      assert.deepEqual(await messagesMatchingText(org.db, org.engine, 'zeppelin'), []);
    });

    fulltextTest(open, 'releaseBlobText keeps the text while any message holds the blob; the collector takes the rest with the blob', async (org, blobs) => {
      const [bob, carol] = await Promise.all(['bob', 'carol'].map((u) => inboxOf(org, `${u}@contoso.com`)));
      const shared = await store(org, blobs, raw('Shared', 'The zeppelin lands at noon.'), [bob!, carol!]);
      const alone = await store(org, blobs, raw('Alone', 'The marmalade is gone.'), [bob!]);
      await org.db.transaction().execute(async (tx) => {
        await tx.deleteFrom('messages').where('folder_id', '=', bob!.id).execute();
        assert.equal(await releaseBlobText(tx, org.engine, [shared.hash, alone.hash]), 1, 'only the blob no message holds any more');
      });
      assert.deepEqual((await messagesMatchingText(org.db, org.engine, 'zeppelin')).map((h) => h.folderId), [carol!.id]);
      assert.deepEqual(await messagesMatchingText(org.db, org.engine, 'marmalade'), []);
      assert.equal(await textRows(org), 1);
      if (org.engine === 'sqlite') assert.equal(await ftsRows(org), 1, 'the FTS row goes with its key');

      // Carol's copy goes too, without an explicit release: the text goes when the collector removes the blob.
      await org.db.deleteFrom('messages').execute();
      await org.db.updateTable('blobs').set({ refcount: 0 }).execute();
      assert.equal(await blobs.collectGarbage(org.db), 2);
      assert.equal(await textRows(org), 0);
      if (org.engine === 'sqlite') assert.equal(await ftsRows(org), 0);
    });

    fulltextTest(open, 'a batch allocates consecutive UIDs and MODSEQs per folder and counts usage per mailbox once', async (org, blobs) => {
      const [bob, carol] = await Promise.all(['bob', 'carol'].map((u) => inboxOf(org, `${u}@contoso.com`)));
      await store(org, blobs, raw('First', 'one'), [bob!]);
      const before = await org.db.selectFrom('folders').select(['id', 'uidnext', 'highest_modseq']).where('id', '=', bob!.id).executeTakeFirstOrThrow();
      const messages = ['A', 'B', 'C'].map((s) => raw(s, `body ${s}`));
      const staged = await Promise.all(messages.map((m) => blobs.stage(m)));
      const appended = await org.db.transaction().execute(async (tx) => {
        const batch = new MessageBatch();
        staged.forEach((blob, i) => {
          batch.add({ folderId: bob!.id, mailboxId: bob!.mailbox_id, blob, indexed: indexMessage(messages[i]!), flags: ['\\Seen', '\\Seen'], internalDate: '2025-11-24T10:00:00.000Z' });
          batch.add({ folderId: carol!.id, mailboxId: carol!.mailbox_id, blob, indexed: indexMessage(messages[i]!), flags: [], internalDate: '2025-11-24T10:00:00.000Z' });
        });
        assert.deepEqual(batch.pendingUsage(bob!.mailbox_id), { bytes: staged.reduce((n, b) => n + b.size, 0), messages: 3 });
        await blobs.referenceAll(tx, [...staged, ...staged]);
        return batch.write(tx, org.engine);
      });
      const first = Number(before.uidnext);
      const modseq = Number(before.highest_modseq);
      assert.deepEqual(appended.filter((_, i) => i % 2 === 0).map((a) => [a.uid, a.modseq]), [[first, modseq + 1], [first + 1, modseq + 2], [first + 2, modseq + 3]]);
      assert.deepEqual(appended.filter((_, i) => i % 2 === 1).map((a) => a.uid), [1, 2, 3]);
      assert.deepEqual(appended[0]!.change, { kind: 'message-added', mailboxId: bob!.mailbox_id, folderId: bob!.id, uid: first, modseq: modseq + 1 });
      const after = await org.db.selectFrom('folders').select(['uidnext', 'highest_modseq']).where('id', '=', bob!.id).executeTakeFirstOrThrow();
      assert.deepEqual([Number(after.uidnext), Number(after.highest_modseq)], [first + 3, modseq + 3]);
      const row = await org.db.selectFrom('messages').select(['flags']).where('folder_id', '=', bob!.id).where('uid', '=', first).executeTakeFirstOrThrow();
      assert.equal(row.flags, '\\Seen');
      const usage = await mailboxUsage(org.db, carol!.mailbox_id);
      assert.deepEqual(usage, { bytes: staged.reduce((n, b) => n + b.size, 0), messages: 3, warned: false });
      assert.equal(await textRows(org), 4);
    });
  });
}
