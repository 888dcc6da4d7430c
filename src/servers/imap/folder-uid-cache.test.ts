import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ChangeFeed } from '../../store/change-feed.js';
import type { Folder } from '../../store/mail/folders.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../store/sql/database.js';
import { FolderUidCache } from './folder-uid-cache.js';

const now = '2026-11-24T10:00:00.000Z';

describe('the shared UID cache', () => {
  let dir: string;
  let store: OpenDatabase;
  const feed = new ChangeFeed();
  let cache: FolderUidCache;

  const folderRow = async (): Promise<Folder> => store.db.selectFrom('folders').selectAll().where('id', '=', 'f1').executeTakeFirstOrThrow();
  const addRow = async (uid: number): Promise<void> => {
    await store.db.insertInto('messages').values({
      id: `m${uid}`, folder_id: 'f1', uid, modseq: uid, blob_hash: 'h1', size: 1, internal_date: now, flags: '', structure_json: '{}',
      subject: '', from_text: '', to_text: '', cc_text: '', date_sent: null, message_id: null, in_reply_to: null, thread_refs: '',
    }).execute();
  };
  const bump = async (): Promise<number> => {
    const row = await store.db.updateTable('folders').set((eb) => ({ highest_modseq: eb('highest_modseq', '+', 1) })).where('id', '=', 'f1')
      .returning('highest_modseq').executeTakeFirstOrThrow();
    return Number(row.highest_modseq);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-uid-cache-'));
    store = openDatabase({ dataDir: dir });
    await migrateToLatest(store);
    await store.db.insertInto('recipients').values({ id: 'r1', kind: 'user', display_name: 'Bob', alias: 'bob', primary_address: 'bob@contoso.com', hidden: 0, mail_enabled: 1, created_at: now }).execute();
    await store.db.insertInto('folders').values({ id: 'f1', mailbox_id: 'r1', name: 'INBOX', special_use: null, uidvalidity: 1, uidnext: 4, highest_modseq: 3, created_at: now }).execute();
    await store.db.insertInto('blobs').values({ hash: 'h1', size: 1, refcount: 3, data: Buffer.from('x'), created_at: now }).execute();
    for (const uid of [1, 2, 3]) await addRow(uid);
    cache = new FolderUidCache(store.db, feed);
  });
  after(async () => {
    cache.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows the change feed without reading the folder again, and hands out copies', async () => {
    assert.deepEqual(await cache.uids(await folderRow()), [1, 2, 3]);
    // Rows change behind the cache's back: only the feed tells it.
    await store.db.deleteFrom('messages').where('uid', '=', 2).execute();
    await addRow(4);
    const expungedAt = await bump();
    const addedAt = await bump();
    feed.publish([
      { kind: 'expunged', mailboxId: 'r1', folderId: 'f1', uids: [2], modseq: expungedAt },
      { kind: 'message-added', mailboxId: 'r1', folderId: 'f1', uid: 4, modseq: addedAt },
    ]);
    const copy = await cache.uids(await folderRow());
    assert.deepEqual(copy, [1, 3, 4]);
    copy.push(99);
    assert.deepEqual(await cache.uids(await folderRow()), [1, 3, 4], 'a caller changing its copy changes nothing shared');
  });

  it('waits a moment for a committed change still on its way, then takes it from the feed', async () => {
    await addRow(5);
    const modseq = await bump();
    const pending = cache.uids(await folderRow());
    setTimeout(() => feed.publish([{ kind: 'message-added', mailboxId: 'r1', folderId: 'f1', uid: 5, modseq }]), 5);
    assert.deepEqual(await pending, [1, 3, 4, 5]);
  });

  it('reads the folder again when a change never reaches the feed (another node, an unpublished writer)', async () => {
    await store.db.deleteFrom('messages').where('uid', '=', 1).execute();
    await bump();
    assert.deepEqual(await cache.uids(await folderRow()), [3, 4, 5]);
  });
});
