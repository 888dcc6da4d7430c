import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import type { Kysely } from 'kysely';
import { listAuditEntries } from '../../admin/audit.js';
import { addMembers } from '../../admin/members.js';
import { addSharedMailbox } from '../../admin/shared-mailboxes.js';
import { indexMessage } from '../../delivery/index-message.js';
import type { Principal } from '../../directory/accounts.js';
import type { AuditEntry } from '../../directory/audit-log.js';
import { BlobStore, inlineBlobLimit } from '../blob/blob-store.js';
import { messagesMatchingText } from '../mail/blob-text.js';
import { expungeMessages, listRecoverable, purgeExpired, recoverMessages } from '../mail/expunge.js';
import { ensureDefaultFolders, ensureFolderPath, findFolder, type Folder } from '../mail/folders.js';
import { findMessage, listFolderMessages } from '../mail/message-reader.js';
import { appendMessage, mailboxUsage } from '../mail/message-writer.js';
import type { DatabaseEngine } from '../sql/database.js';
import type { Database } from '../sql/schema.js';
import { addUsers, orgTest, type OpenStore, type Org } from './harness.js';

type Db = Kysely<Database>;

const info = 'info@contoso.com';

/** The organization of these tests: the shared mailbox Info with Bob as member, and Carol, who has her own mailbox. */
interface Mailroom {
  readonly org: Org;
  readonly blobs: BlobStore;
  readonly infoId: string;
  readonly carolId: string;
  readonly bob: Principal;
  readonly carol: Principal;
}

function recoveryTest(open: OpenStore, name: string, body: (m: Mailroom) => Promise<void>): void {
  orgTest(open, name, async (org) => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-recovery-'));
    try {
      const shared = await addSharedMailbox(org.admin, { displayName: 'Info', address: info });
      await addUsers(org, 'Bob', 'Carol');
      await addMembers(org.admin, info, ['bob@contoso.com']);
      const bob = (await org.as('bob@contoso.com', 'Bob-pass-123')).actor;
      const carol = (await org.as('carol@contoso.com', 'Carol-pass-123')).actor;
      await body({ org, blobs: new BlobStore(join(dir, 'blobs')), infoId: shared.id, carolId: carol.id, bob, carol });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

const rawMessage = (subject: string, body = `Body of ${subject}.`): Buffer => Buffer.from(
  `From: partner@fabrikam.example\r\nTo: ${info}\r\nSubject: ${subject}\r\nDate: Mon, 24 Nov 2025 10:00:00 +0000\r\n` +
  `Message-ID: <${subject.replace(/\W/g, '')}@fabrikam.example>\r\n\r\n${body}\r\n`,
);

async function folderOf(db: Db, mailboxId: string, name = 'INBOX'): Promise<Folder> {
  await ensureDefaultFolders(db, mailboxId);
  return (await findFolder(db, mailboxId, name)) ?? assert.fail(`no folder ${name}`);
}

/** Stores the same bytes in each of the folders, as delivery does: one blob, one reference per message. */
async function deliver(m: Mailroom, raw: Buffer, folders: Folder[], flags: string[] = []): Promise<{ hash: string; uids: number[] }> {
  const blob = await m.blobs.stage(raw);
  const indexed = indexMessage(raw);
  const uids = await m.org.db.transaction().execute(async (tx) => {
    const out: number[] = [];
    for (const folder of folders) {
      await m.blobs.reference(tx, blob, 1);
      out.push((await appendMessage(tx, m.org.engine, { folder, blob, indexed, flags, internalDate: '2025-11-24T10:00:05.000Z' })).uid);
    }
    return out;
  });
  return { hash: blob.hash, uids };
}

async function refcount(db: Db, hash: string): Promise<number | undefined> {
  const row = await db.selectFrom('blobs').select('refcount').where('hash', '=', hash).executeTakeFirst();
  return row === undefined ? undefined : Number(row.refcount);
}

const folderRow = async (db: Db, id: string) => db.selectFrom('folders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** Subjects of the messages the full-text index finds for a word (FTS5 on SQLite, tsvector on PostgreSQL). */
async function search(db: Db, engine: DatabaseEngine, word: string): Promise<string[]> {
  return (await messagesMatchingText(db, engine, word)).map((r) => r.subject).sort();
}

const newAudit = async (org: Org, known: readonly AuditEntry[]): Promise<AuditEntry[]> => {
  const ids = new Set(known.map((e) => e.id));
  return (await listAuditEntries(org.admin, {})).filter((e) => !ids.has(e.id));
};

/** Deleting for everyone, recoverable items, and their purge, on a fresh database per test. */
export function defineRecoveryConformance(name: string, open: OpenStore): void {
  describe(`${name} recovery conformance: expunge`, () => {
    recoveryTest(open, 'a delegate expunges for everyone: the message becomes recoverable, MODSEQ and usage move, the delete is audited', async (m) => {
      const { db, engine } = m.org;
      const inbox = await folderOf(db, m.infoId);
      const first = await deliver(m, rawMessage('Quarterly figures', 'The aubergine report is attached.'), [inbox], ['\\Seen', '$Important']);
      await deliver(m, rawMessage('Lunch', 'The aubergine soup was good.'), [inbox]);
      const before = { folder: await folderRow(db, inbox.id), usage: await mailboxUsage(db, m.infoId), message: await findMessage(db, inbox, 1) };
      assert.deepEqual(await search(db, engine, 'aubergine'), ['Lunch', 'Quarterly figures']);
      const audit = await listAuditEntries(m.org.admin, {});

      const result = await expungeMessages(db, engine, { folderId: inbox.id, uids: [1, 99], actor: m.bob });
      const size = before.message!.size;
      assert.deepEqual(result.expunged, [{ uid: 1, subject: 'Quarterly figures', size }]);
      const after = await folderRow(db, inbox.id);
      assert.ok(Number(after.highest_modseq) > Number(before.folder.highest_modseq), 'RFC 7162: an expunge increases HIGHESTMODSEQ');
      assert.equal(Number(after.uidnext), Number(before.folder.uidnext), 'UIDNEXT does not move');
      assert.deepEqual(result.changes, [{ kind: 'expunged', mailboxId: m.infoId, folderId: inbox.id, uids: [1], modseq: Number(after.highest_modseq) }]);

      assert.deepEqual((await listFolderMessages(db, inbox, { limit: 10, offset: 0 })).map((x) => x.subject), ['Lunch'], 'gone for everyone');
      assert.deepEqual(await search(db, engine, 'aubergine'), ['Lunch'], 'and from the full-text index');
      assert.deepEqual(await mailboxUsage(db, m.infoId), { bytes: before.usage.bytes - size, messages: 1, warned: false });
      assert.equal(await refcount(db, first.hash), 1, 'the recoverable item holds the reference the message held');

      const [item, ...more] = await listRecoverable(db, m.infoId);
      assert.equal(more.length, 0);
      assert.deepEqual({ ...item, id: undefined, expungedAt: undefined }, {
        id: undefined, folder: 'INBOX', uid: 1, subject: 'Quarterly figures', size, internalDate: '2025-11-24T10:00:05.000Z',
        flags: ['\\Seen', '$Important'], expungedAt: undefined, expungedBy: 'bob@contoso.com',
      });
      assert.ok(Math.abs(Date.parse(item!.expungedAt) - Date.now()) < 60_000);

      const entries = await newAudit(m.org, audit);
      assert.deepEqual(entries.map((e) => [e.actor, e.action, e.target, e.after]), [
        ['bob@contoso.com', 'message.delete', info, { folder: 'INBOX', uid: 1, subject: 'Quarterly figures' }],
      ]);

      const again = await expungeMessages(db, engine, { folderId: inbox.id, uids: [1], actor: m.bob });
      assert.deepEqual(again, { expunged: [], changes: [] }, 'an expunged UID is not there any more');
      assert.equal(Number((await folderRow(db, inbox.id)).highest_modseq), Number(after.highest_modseq), 'nothing expunged, nothing changed');
    });

    recoveryTest(open, 'an owner deleting from their own mailbox is not audited', async (m) => {
      const { db, engine } = m.org;
      const inbox = await folderOf(db, m.carolId);
      await deliver(m, rawMessage('Personal'), [inbox]);
      const audit = await listAuditEntries(m.org.admin, {});
      assert.equal((await expungeMessages(db, engine, { folderId: inbox.id, uids: [1], actor: m.carol })).expunged.length, 1);
      assert.deepEqual(await newAudit(m.org, audit), []);
      assert.equal((await listRecoverable(db, m.carolId))[0]?.expungedBy, 'carol@contoso.com', 'still recoverable');
    });

    recoveryTest(open, 'two members expunging the same message at once move it once', async (m) => {
      const { db, engine } = m.org;
      await addMembers(m.org.admin, info, ['carol@contoso.com']);
      const inbox = await folderOf(db, m.infoId);
      const { hash } = await deliver(m, rawMessage('Contended'), [inbox]);
      const results = await Promise.all([m.bob, m.carol].map((actor) => expungeMessages(db, engine, { folderId: inbox.id, uids: [1], actor })));
      assert.equal(results.reduce((n, r) => n + r.expunged.length, 0), 1);
      assert.equal((await listRecoverable(db, m.infoId)).length, 1);
      assert.equal(await refcount(db, hash), 1);
      assert.equal((await mailboxUsage(db, m.infoId)).messages, 0);
    });

    recoveryTest(open, 'a move expunges without keeping anything: the source message releases its blob', async (m) => {
      const { db, engine } = m.org;
      const inbox = await folderOf(db, m.infoId);
      const archive = await folderOf(db, m.infoId, 'Archive');
      const { hash } = await deliver(m, rawMessage('Filed'), [inbox, archive]);
      assert.equal(await refcount(db, hash), 2);
      const audit = await listAuditEntries(m.org.admin, {});
      const moved = await expungeMessages(db, engine, { folderId: inbox.id, uids: [1], actor: m.bob, purpose: 'move' });
      assert.equal(moved.expunged.length, 1);
      assert.equal(moved.changes[0]?.kind, 'expunged');
      assert.equal(await refcount(db, hash), 1);
      assert.deepEqual(await listRecoverable(db, m.infoId), []);
      assert.deepEqual(await newAudit(m.org, audit), [], 'a move is not a delete');
      assert.equal((await mailboxUsage(db, m.infoId)).messages, 1);
    });

    recoveryTest(open, 'usage falling back under the warning quota re-arms the warning', async (m) => {
      const { db, engine } = m.org;
      const inbox = await folderOf(db, m.infoId);
      await deliver(m, rawMessage('One'), [inbox]);
      await deliver(m, rawMessage('Two'), [inbox]);
      // The delivery stage warned once and set the flag; the warning quota is far below the usage.
      await db.updateTable('mailbox_settings').set({ quota_warn_bytes: 1 }).where('recipient_id', '=', m.infoId).execute();
      await db.updateTable('mailbox_usage').set({ warned: 1 }).where('mailbox_id', '=', m.infoId).execute();
      await expungeMessages(db, engine, { folderId: inbox.id, uids: [1], actor: m.bob });
      const one = await mailboxUsage(db, m.infoId);
      assert.deepEqual([one.messages, one.warned], [1, true], 'still over the warning quota: still warned');
      await db.updateTable('mailbox_settings').set({ quota_warn_bytes: one.bytes }).where('recipient_id', '=', m.infoId).execute();
      await expungeMessages(db, engine, { folderId: inbox.id, uids: [2], actor: m.bob });
      assert.deepEqual(await mailboxUsage(db, m.infoId), { bytes: 0, messages: 0, warned: false }, 'under it: the next crossing warns again');
    });
  });

  describe(`${name} recovery conformance: recover`, () => {
    recoveryTest(open, 'restores into the original folders, created again, with new higher UIDs, flags and internal dates', async (m) => {
      const { db, engine } = m.org;
      const inbox = await folderOf(db, m.infoId);
      const { folder: projects } = await ensureFolderPath(db, m.infoId, 'Projects/2026');
      const a = await deliver(m, rawMessage('Alpha', 'zeppelin one'), [inbox], ['\\Flagged']);
      await deliver(m, rawMessage('Beta', 'zeppelin two'), [inbox], ['\\Seen']);
      const c = await deliver(m, rawMessage('Gamma', 'zeppelin three'), [projects], ['\\Answered', '\\Seen']);
      const full = await mailboxUsage(db, m.infoId);
      await expungeMessages(db, engine, { folderId: inbox.id, uids: [1, 2], actor: m.bob });
      await expungeMessages(db, engine, { folderId: projects.id, uids: [1], actor: m.bob });
      // The folder was deleted since (and its parent with it).
      await db.deleteFrom('folders').where('mailbox_id', '=', m.infoId).where('name', 'in', ['Projects', 'Projects/2026']).execute();
      const inboxBefore = await folderRow(db, inbox.id);
      assert.deepEqual(await search(db, engine, 'zeppelin'), []);
      const audit = await listAuditEntries(m.org.admin, {});

      const result = await recoverMessages(db, engine, m.blobs, { mailboxId: m.infoId, actor: m.org.admin.actor });
      assert.deepEqual(result.restored.map((r) => [r.folder, r.uid, r.subject, r.expungedBy]), [
        ['INBOX', 3, 'Alpha', 'bob@contoso.com'],
        ['INBOX', 4, 'Beta', 'bob@contoso.com'],
        ['Projects/2026', 1, 'Gamma', 'bob@contoso.com'],
      ], 'new UIDs, above every UID the folder gave before');
      const restoredInbox = await listFolderMessages(db, inbox, { limit: 10, offset: 0 });
      assert.deepEqual(restoredInbox.map((x) => [x.uid, x.subject, x.flags, x.internalDate]), [
        [3, 'Alpha', ['\\Flagged'], '2025-11-24T10:00:05.000Z'],
        [4, 'Beta', ['\\Seen'], '2025-11-24T10:00:05.000Z'],
      ]);
      const recreated = (await findFolder(db, m.infoId, 'Projects/2026')) ?? assert.fail('Projects/2026 is created again');
      assert.ok(await findFolder(db, m.infoId, 'Projects'), 'with its parent');
      assert.notEqual(recreated.id, projects.id);
      assert.deepEqual((await listFolderMessages(db, recreated, { limit: 10, offset: 0 })).map((x) => [x.subject, x.flags]), [['Gamma', ['\\Answered', '\\Seen']]]);

      const inboxAfter = await folderRow(db, inbox.id);
      assert.ok(Number(inboxAfter.highest_modseq) > Number(inboxBefore.highest_modseq));
      assert.deepEqual(await mailboxUsage(db, m.infoId), full, 'usage is back');
      assert.equal(await refcount(db, a.hash), 1, 'the reference passed back to the message');
      assert.equal(await refcount(db, c.hash), 1);
      assert.deepEqual(await listRecoverable(db, m.infoId), []);
      assert.deepEqual(await search(db, engine, 'zeppelin'), ['Alpha', 'Beta', 'Gamma'], 'indexed again');

      const kinds = result.changes.map((ch) => ch.kind === 'message-added' ? `${ch.kind}:${ch.uid}` : `${ch.kind}:${'name' in ch ? ch.name : ''}`);
      assert.deepEqual(kinds, ['message-added:3', 'message-added:4', 'folder-created:Projects', 'folder-created:Projects/2026', 'message-added:1']);
      const entries = await newAudit(m.org, audit);
      assert.deepEqual(entries.map((e) => [e.actor, e.action, e.target]), [['admin@contoso.com', 'mailbox.recover', info]]);
      assert.deepEqual(entries[0]?.after, { since: null, messages: result.restored });

      assert.deepEqual(await recoverMessages(db, engine, m.blobs, { mailboxId: m.infoId, actor: m.org.admin.actor }), { restored: [], changes: [] }, 'nothing twice');
    });

    recoveryTest(open, '"since" restores only what was deleted at or after it; a time in the future restores nothing', async (m) => {
      const { db, engine } = m.org;
      const inbox = await folderOf(db, m.infoId);
      await deliver(m, rawMessage('Old'), [inbox]);
      await deliver(m, rawMessage('Recent'), [inbox]);
      await expungeMessages(db, engine, { folderId: inbox.id, uids: [1], actor: m.bob });
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
      await db.updateTable('recoverable_messages').set({ expunged_at: twoDaysAgo }).execute();
      await expungeMessages(db, engine, { folderId: inbox.id, uids: [2], actor: m.bob });

      const audit = await listAuditEntries(m.org.admin, {});
      const future = new Date(Date.now() + 86_400_000).toISOString();
      assert.deepEqual(await recoverMessages(db, engine, m.blobs, { mailboxId: m.infoId, since: future, actor: m.org.admin.actor }), { restored: [], changes: [] });
      assert.deepEqual(await newAudit(m.org, audit), [], 'nothing restored, nothing recorded');

      const yesterday = new Date(Date.now() - 86_400_000).toISOString();
      const recent = await recoverMessages(db, engine, m.blobs, { mailboxId: m.infoId, since: yesterday, actor: m.org.admin.actor });
      assert.deepEqual(recent.restored.map((r) => [r.subject, r.uid]), [['Recent', 3]]);
      assert.deepEqual((await listRecoverable(db, m.infoId)).map((i) => [i.subject, i.expungedAt]), [['Old', twoDaysAgo]]);
      const all = await recoverMessages(db, engine, m.blobs, { mailboxId: m.infoId, since: twoDaysAgo, actor: m.org.admin.actor });
      assert.deepEqual(all.restored.map((r) => [r.subject, r.uid]), [['Old', 4]], '"at or after"');
    });

    recoveryTest(open, 'a recovery restores only the mailbox it names', async (m) => {
      const { db, engine } = m.org;
      const infoInbox = await folderOf(db, m.infoId);
      const carolInbox = await folderOf(db, m.carolId);
      await deliver(m, rawMessage('Both'), [infoInbox, carolInbox]);
      await expungeMessages(db, engine, { folderId: infoInbox.id, uids: [1], actor: m.bob });
      await expungeMessages(db, engine, { folderId: carolInbox.id, uids: [1], actor: m.carol });
      const result = await recoverMessages(db, engine, m.blobs, { mailboxId: m.carolId, actor: m.org.admin.actor });
      assert.deepEqual(result.restored.map((r) => r.subject), ['Both']);
      assert.equal((await listRecoverable(db, m.infoId)).length, 1);
      assert.deepEqual((await listFolderMessages(db, infoInbox, { limit: 10, offset: 0 })), []);
    });
  });

  describe(`${name} recovery conformance: purge`, () => {
    recoveryTest(open, 'purges past the window, and the collector removes a blob only when nothing references it', async (m) => {
      const { db, engine } = m.org;
      const infoInbox = await folderOf(db, m.infoId);
      const carolInbox = await folderOf(db, m.carolId);
      // Large enough to be a file: the same bytes held by two mailboxes.
      const large = await deliver(m, rawMessage('Big', 'x'.repeat(inlineBlobLimit + 1000)), [infoInbox, carolInbox]);
      const small = await deliver(m, rawMessage('Small'), [infoInbox]);
      assert.ok(existsSync(m.blobs.pathOf(large.hash)));
      await expungeMessages(db, engine, { folderId: infoInbox.id, uids: [1, 2], actor: m.bob });
      assert.deepEqual([await refcount(db, large.hash), await refcount(db, small.hash)], [2, 1]);

      assert.deepEqual(await purgeExpired(db, m.blobs, { olderThanDays: 14 }), { purged: 0, blobsRemoved: 0 }, 'still inside the window');
      assert.equal((await listRecoverable(db, m.infoId)).length, 2);

      const later = new Date(Date.now() + 1000);
      assert.deepEqual(await purgeExpired(db, m.blobs, { olderThanDays: 0, now: later }), { purged: 2, blobsRemoved: 1 });
      assert.deepEqual(await listRecoverable(db, m.infoId), []);
      assert.equal(await refcount(db, small.hash), undefined, 'nothing held the small one any more');
      assert.equal(await refcount(db, large.hash), 1, "Carol's copy still holds the large one");
      assert.ok(existsSync(m.blobs.pathOf(large.hash)));
      const carolCopy = await findMessage(db, carolInbox, 1);
      assert.equal((await m.blobs.read(db, carolCopy!.blobHash)).length, carolCopy!.size);
      assert.deepEqual(await recoverMessages(db, engine, m.blobs, { mailboxId: m.infoId, actor: m.org.admin.actor }), { restored: [], changes: [] }, 'purged is gone for good');

      await expungeMessages(db, engine, { folderId: carolInbox.id, uids: [1], actor: m.carol });
      assert.deepEqual(await purgeExpired(db, m.blobs, { olderThanDays: 0, now: new Date(Date.now() + 1000) }), { purged: 1, blobsRemoved: 1 });
      assert.equal(await refcount(db, large.hash), undefined);
      assert.equal(existsSync(m.blobs.pathOf(large.hash)), false, 'its file too');
    });

    recoveryTest(open, 'the collector keeps a file staged again after its row was created', async (m) => {
      const { db } = m.org;
      const raw = Buffer.alloc(inlineBlobLimit + 1, 'y');
      const blob = await m.blobs.stage(raw);
      await m.blobs.reference(db, blob, 1);
      await m.blobs.release(db, blob.hash, 1);
      // The same bytes arrive again long after the row was made: stage() has written the file,
      // and the transaction that references it has not committed yet.
      await db.updateTable('blobs').set({ created_at: new Date(Date.now() - 3600_000).toISOString() }).where('hash', '=', blob.hash).execute();
      await m.blobs.stage(raw);
      assert.equal(await m.blobs.collectGarbage(db), 1);
      assert.equal(await refcount(db, blob.hash), undefined);
      assert.ok(existsSync(m.blobs.pathOf(blob.hash)), 'the new file stays for the row about to be committed');
      await m.blobs.reference(db, blob, 1);
      assert.ok((await m.blobs.read(db, blob.hash)).equals(raw));
    });
  });
}
