import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ImapFlow } from 'imapflow';
import { assertStatus, encode } from './api-helpers.js';
import { createOrganization, deliver, eventually, ImapClients, startImapServer, stopImapServer, type ImapServer, type Organization } from './imap-helpers.js';
import { RawImap } from './imap-raw-client.js';
import { listMessages, passwordOf, patchSettings } from './mail-helpers.js';

const SHARED = 'Shared/info@contoso.com/INBOX';
const ARCHIVE = 'Shared/info@contoso.com/Archive';

const message = (subject: string, body = 'Appended.\r\n'): Buffer =>
  Buffer.from(`From: Alice <alice@contoso.com>\r\nTo: info@contoso.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@contoso.com>\r\n\r\n${body}`);

describe('IMAP APPEND, COPY and MOVE (RFC 3501, 3502, 4315, 6851, 7889)', () => {
  let server: ImapServer;
  let org: Organization;
  const clients = new ImapClients(() => server);
  const raws: RawImap[] = [];
  const open = (user: string): Promise<ImapFlow> => clients.connect(user);
  const raw = async (user: string): Promise<RawImap> => {
    const r = await RawImap.open(server.imapPort);
    raws.push(r);
    await r.login(user, passwordOf(user));
    return r;
  };
  const count = async (client: ImapFlow, path: string): Promise<number> => ((await client.status(path, { messages: true })) || { messages: 0 }).messages ?? 0;

  before(async () => {
    server = await startImapServer();
    org = await createOrganization(server);
    assertStatus(await server.admin('POST', `/mailboxes/${encode(org.info)}/permissions`, { trustee: org.carol.address, rights: ['ReadOnly'] }), 200);
    await deliver(server, org.info, 'Delivered one');
    await deliver(server, org.info, 'Delivered two');
  });
  after(async () => {
    await clients.closeAll();
    for (const r of raws) r.close();
    await stopImapServer(server);
  });

  it('appends with flags and internal date, answers APPENDUID, and a selecting member sees EXISTS', async () => {
    const alice = await open(org.alice.address);
    const bob = await open(org.bob.address);
    await eventually(async () => (await count(bob, SHARED)) >= 2 || undefined);
    const lock = await bob.getMailboxLock(SHARED);
    try {
      const before = bob.mailbox && typeof bob.mailbox === 'object' ? bob.mailbox.exists : 0;
      const date = new Date('2026-03-04T05:06:07Z');
      const result = await alice.append(SHARED, message('Appended by alice'), ['\\Seen', '$Important'], date);
      assert.ok(result && typeof result === 'object');
      assert.equal(typeof result.uid, 'number');
      assert.equal(typeof result.uidValidity, 'bigint');
      await bob.noop();
      assert.equal(bob.mailbox && typeof bob.mailbox === 'object' ? bob.mailbox.exists : 0, before + 1);
      const fetched = await bob.fetchOne(String(result.uid), { flags: true, internalDate: true, source: true, envelope: true }, { uid: true });
      assert.ok(fetched);
      assert.deepEqual([...(fetched.flags ?? [])].sort(), ['$Important', '\\Seen']);
      assert.equal(new Date(fetched.internalDate!).toISOString(), date.toISOString());
      assert.equal(fetched.envelope?.subject, 'Appended by alice');
      assert.equal(fetched.source?.toString(), message('Appended by alice').toString());
    } finally {
      lock.release();
    }
  });

  it('appends a message above the stream threshold (a streamed literal)', async () => {
    const alice = await open(org.alice.address);
    const big = message('Big one', `${'y'.repeat(998)}\r\n`.repeat(300));
    const result = await alice.append('Drafts', big, ['\\Draft']);
    assert.ok(result && typeof result === 'object' && result.uid);
    const lock = await alice.getMailboxLock('Drafts');
    try {
      const fetched = await alice.fetchOne(String(result.uid), { size: true, source: true }, { uid: true });
      assert.ok(fetched);
      assert.equal(fetched.size, big.length);
      assert.ok(fetched.source?.equals(big));
    } finally {
      lock.release();
    }
  });

  it('appends a MULTIAPPEND all or nothing (RFC 3502)', async () => {
    const r = await raw(org.alice.address);
    const a = message('Multi one');
    const b = message('Multi two');
    r.write(`M1 APPEND INBOX (\\Flagged) {${a.length}+}\r\n`);
    r.write(a);
    r.write(` {${b.length}+}\r\n`);
    r.write(b);
    r.write('\r\n');
    const ok = await r.until('M1');
    assert.match(ok.done, /^M1 OK \[APPENDUID \d+ \d+:\d+\]/);
    const status = await r.command('S1', 'STATUS INBOX (MESSAGES)');
    assert.match(status.untagged.join('\n'), /MESSAGES 2\)/);
    // The second message is empty: neither is appended.
    r.write(`M2 APPEND INBOX {${a.length}+}\r\n`);
    r.write(a);
    r.write(' {0+}\r\n\r\n');
    const refused = await r.until('M2');
    assert.match(refused.done, /^M2 NO /);
    const again = await r.command('S2', 'STATUS INBOX (MESSAGES)');
    assert.match(again.untagged.join('\n'), /MESSAGES 2\)/);
  });

  it('refuses before the literal: a missing mailbox (TRYCREATE), a non-member, a read-only member, a huge message', async () => {
    const r = await raw(org.alice.address);
    const missing = await r.command('T1', 'APPEND "No such folder" {20}');
    assert.match(missing.done, /^T1 NO \[TRYCREATE\]/);
    assert.deepEqual(missing.untagged, [], 'no "+" continuation was sent');
    const huge = await r.command('T2', 'APPEND INBOX {999999999}');
    assert.match(huge.done, /^T2 NO \[TOOBIG\]/);
    assert.match((await r.command('T3', 'NOOP')).done, /^T3 OK/);

    const carol = await raw(org.carol.address);
    const readOnly = await carol.command('C1', `APPEND "${SHARED}" {20}`);
    assert.match(readOnly.done, /^C1 NO \[NOPERM\]/);
    const dave = await raw(org.bob.address);
    const nonMember = await dave.command('D1', 'APPEND "Shared/nobody@contoso.com/INBOX" {20}');
    assert.match(nonMember.done, /^D1 NO \[TRYCREATE\]/);
  });

  it('copies with COPYUID, keeping flags and the same blob', async () => {
    const alice = await open(org.alice.address);
    const lock = await alice.getMailboxLock(SHARED);
    try {
      await alice.messageFlagsAdd('1', ['\\Flagged'], { uid: true });
      const copied = await alice.messageCopy('1:2', ARCHIVE, { uid: true });
      assert.ok(copied && copied.uidMap, 'COPYUID');
      assert.equal(copied.uidMap.size, 2);
      const target = copied.uidMap.get(1)!;
      const archived = await open(org.bob.address);
      const archiveLock = await archived.getMailboxLock(ARCHIVE);
      try {
        const m = await archived.fetchOne(String(target), { flags: true, envelope: true }, { uid: true });
        assert.ok(m && m.flags?.has('\\Flagged'));
        assert.equal(m.envelope?.subject, 'Delivered one');
      } finally {
        archiveLock.release();
      }
      // One more reference to the same blob, not a copy of the bytes.
      const inbox = await listMessages(org.alice, org.info, 'INBOX');
      const archive = await listMessages(org.alice, org.info, 'Archive');
      const source = inbox.find((m) => m.uid === 1)!;
      assert.equal(archive.find((m) => m.uid === target)?.blobHash, source.blobHash);
    } finally {
      lock.release();
    }
  });

  it('moves atomically, reports EXPUNGE, and VANISHED with QRESYNC', async () => {
    const alice = await open(org.alice.address);
    await alice.append(SHARED, message('To move'));
    await alice.append(SHARED, message('To move with qresync'));
    const lock = await alice.getMailboxLock(SHARED);
    try {
      const before = alice.mailbox && typeof alice.mailbox === 'object' ? alice.mailbox.exists : 0;
      const uids = (await alice.search({ subject: 'To move' }, { uid: true })) || [];
      assert.equal(uids.length, 2);
      const moved = await alice.messageMove(String(uids[0]), ARCHIVE, { uid: true });
      assert.ok(moved && moved.uidMap && moved.uidMap.size === 1);
      assert.equal(alice.mailbox && typeof alice.mailbox === 'object' ? alice.mailbox.exists : 0, before - 1, 'EXPUNGE reported');
    } finally {
      lock.release();
    }
    const r = await raw(org.alice.address);
    await r.command('E1', 'ENABLE QRESYNC');
    await r.command('S1', `SELECT "${SHARED}"`);
    const search = await r.command('U1', 'UID SEARCH SUBJECT "with qresync"');
    const uid = /SEARCH (\d+)/.exec(search.untagged.join('\n'))?.[1];
    assert.ok(uid);
    const moved = await r.command('U2', `UID MOVE ${uid} "${ARCHIVE}"`);
    assert.match(moved.untagged[0] ?? '', /^\* OK \[COPYUID \d+ \d+ \d+\]/);
    assert.ok(moved.untagged.includes(`* VANISHED ${uid}`), moved.untagged.join('\n'));
    assert.match(moved.done, /^U2 OK/);
  });

  it('refuses MOVE out of a read-only folder but lets the member COPY from it', async () => {
    const carol = await raw(org.carol.address);
    await carol.command('S1', `SELECT "${SHARED}"`);
    const move = await carol.command('M1', 'MOVE 1 INBOX');
    assert.match(move.done, /^M1 NO \[NOPERM\]/);
    const copy = await carol.command('C1', 'COPY 1 INBOX');
    assert.match(copy.done, /^C1 OK \[COPYUID /);
    const missing = await carol.command('C2', 'COPY 1 "Nowhere"');
    assert.match(missing.done, /^C2 NO \[TRYCREATE\]/);
    const beyond = await carol.command('C3', 'COPY 999 INBOX');
    assert.match(beyond.done, /^C3 BAD/);
  });

  it('refuses APPEND and COPY beyond the quota with OVERQUOTA', async () => {
    await patchSettings(server.admin, org.info, { quota: { warn: 100, send: 200, receive: 300 } });
    const alice = await open(org.alice.address);
    await assert.rejects(alice.append(SHARED, message('Too much', 'x'.repeat(400))), (error: Error & { serverResponseCode?: string }) => {
      assert.equal(error.serverResponseCode, 'OVERQUOTA');
      return true;
    });
    const r = await raw(org.alice.address);
    const early = await r.command('Q1', `APPEND "${SHARED}" {400}`);
    assert.match(early.done, /^Q1 NO \[OVERQUOTA\]/);
    await r.command('S1', 'SELECT INBOX');
    const copy = await r.command('Q2', `COPY 1:* "${SHARED}"`);
    assert.match(copy.done, /^Q2 NO \[OVERQUOTA\]/);
    await patchSettings(server.admin, org.info, { quota: { warn: '49GB', send: '49.5GB', receive: '50GB' } });
  });
});
