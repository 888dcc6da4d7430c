import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImapFlow } from 'imapflow';
import { createOrganization, deliver, eventually, ImapClients, startImapServer, stopImapServer, type ImapServer, type Organization } from './imap-helpers.js';
import { passwordOf } from './mail-helpers.js';

const BOX = 'Shared/info@contoso.com/INBOX';

/** Concurrency, CONDSTORE and QRESYNC (RFC 2177, RFC 7162) between two members' sessions, with imapflow. */
describe('IMAP: every session on a shared folder sees the others\' changes', () => {
  let server: ImapServer;
  let org: Organization;
  const clients = new ImapClients(() => server);
  const open = (user: string): Promise<ImapFlow> => clients.connect(user);

  before(async () => {
    server = await startImapServer();
    org = await createOrganization(server);
    for (const subject of ['one', 'two', 'three', 'four']) await deliver(server, org.info, subject);
    const probe = await open(org.alice.address);
    await eventually(async () => ((await probe.status(BOX, { messages: true }) as { messages?: number }).messages ?? 0) >= 4 || undefined);
  });
  after(async () => {
    await clients.closeAll();
    await stopImapServer(server);
  });

  it('pushes flag changes and expunges to a member in IDLE', async () => {
    const alice = await open(org.alice.address);
    const bob = await open(org.bob.address);
    await alice.mailboxOpen(BOX);
    await bob.mailboxOpen(BOX);
    const flagged = new Promise<{ uid?: number; flags: Set<string> }>((resolve) => bob.once('flags', resolve));
    const idle = bob.idle();
    await alice.messageFlagsAdd('1', ['\\Flagged']);
    const update = await flagged;
    assert.ok(update.flags.has('\\Flagged'));

    const expunged = new Promise<{ seq: number }>((resolve) => bob.once('expunge', resolve));
    await alice.messageDelete('4');
    assert.equal((await expunged).seq, 4);
    await bob.noop();
    await idle.catch(() => undefined);
    assert.equal((bob.mailbox as { exists: number }).exists, 3);
  });

  it('reports changes made elsewhere at the next command when not idling', async () => {
    const alice = await open(org.alice.address);
    const bob = await open(org.bob.address);
    await alice.mailboxOpen(BOX);
    await bob.mailboxOpen(BOX);
    const before = (bob.mailbox as { exists: number }).exists;
    await deliver(server, org.info, 'five');
    await eventually(async () => ((await alice.status('INBOX', { messages: true }) as object) && true));
    const grew = new Promise<number>((resolve) => bob.once('exists', (e: { count: number }) => resolve(e.count)));
    await eventually(async () => {
      await bob.noop();
      return (bob.mailbox as { exists: number }).exists > before || undefined;
    });
    assert.equal(await grew, before + 1);
  });

  it('answers FETCH CHANGEDSINCE with only what changed (CONDSTORE)', async () => {
    const alice = await open(org.alice.address);
    const box = await alice.mailboxOpen(BOX);
    const highest = Number(box.highestModseq);
    assert.ok(highest > 0, 'HIGHESTMODSEQ is announced on SELECT');
    await alice.messageFlagsAdd('2', ['$Important']);
    const changed: number[] = [];
    for await (const m of alice.fetch('1:*', { uid: true, flags: true }, { changedSince: BigInt(highest) })) changed.push(m.seq);
    assert.deepEqual(changed, [2]);
  });

  it('resynchronizes a returning client with VANISHED (QRESYNC)', async () => {
    const first = new ImapFlow({
      host: '127.0.0.1', port: server.imapPort, secure: false, doSTARTTLS: false, logger: false, qresync: true,
      auth: { user: org.bob.address, pass: passwordOf(org.bob.address) },
    });
    clients.track(first);
    await first.connect();
    const box = await first.mailboxOpen(BOX);
    const state = { uidValidity: box.uidValidity, highestModseq: box.highestModseq };
    const uids: number[] = [];
    for await (const m of first.fetch('1:*', { uid: true })) uids.push(m.uid);
    await first.logout();

    const alice = await open(org.alice.address);
    await alice.mailboxOpen(BOX);
    await alice.messageDelete({ uid: String(uids[0]) } as never, { uid: true });

    const again = new ImapFlow({
      host: '127.0.0.1', port: server.imapPort, secure: false, doSTARTTLS: false, logger: false, qresync: true,
      auth: { user: org.bob.address, pass: passwordOf(org.bob.address) },
    });
    clients.track(again);
    await again.connect();
    const vanished = new Promise<{ uid?: number; vanished?: boolean; earlier?: boolean }>((resolve) => again.once('expunge', resolve));
    await again.mailboxOpen(BOX, { changedSince: state.highestModseq, uidValidity: state.uidValidity } as never);
    const event = await vanished;
    assert.equal(event.uid, uids[0]);
    assert.equal(event.vanished, true);
  });
});
