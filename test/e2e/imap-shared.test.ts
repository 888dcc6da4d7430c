import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ImapFlow } from 'imapflow';
import { createOrganization, deliver, eventually, imapClient, ImapClients, postgresSchema, startImapServer, stopImapServer, type ImapServer, type Organization } from './imap-helpers.js';

// The same behaviour on both stores: SQLite, and PostgreSQL when it is reachable.
const postgres = await postgresSchema('mr_imap');
if (typeof postgres === 'string') console.log(`# ${postgres}`);

for (const store of ['sqlite', 'postgres'] as const) describe(`IMAP on ${store}: shared mailboxes appear by themselves (imapflow)`, { skip: store === 'postgres' && typeof postgres === 'string' ? postgres : false }, () => {
  let server: ImapServer;
  let org: Organization;
  const clients = new ImapClients(() => server);
  const open = (user: string, password?: string): Promise<ImapFlow> => clients.connect(user, password);

  before(async () => {
    server = await startImapServer(store === 'postgres' && typeof postgres !== 'string' ? { env: postgres.env } : {});
    org = await createOrganization(server);
    await deliver(server, org.info, 'First question');
    await deliver(server, org.info, 'Second question');
  });
  after(async () => {
    await clients.closeAll();
    await stopImapServer(server);
    if (store === 'postgres' && typeof postgres !== 'string') await postgres.drop();
  });

  it('advertises the shared namespace and lists the automapped folders as subscribed', async () => {
    const alice = await open(org.alice.address);
    // imapflow keeps only the personal namespace; the shared one is checked with imaplib (imap-clients.test.ts).
    assert.deepEqual(alice.namespace, { prefix: '', delimiter: '/' });
    const folders = await alice.list();
    const names = folders.map((f) => f.path);
    assert.ok(names.includes('INBOX'));
    assert.ok(names.includes('Shared/info@contoso.com/INBOX'), names.join(', '));
    assert.ok(names.includes('Shared/info@contoso.com/Sent Items'));
    const subscribed = await alice.list({ statusQuery: { messages: true } });
    const sharedInbox = subscribed.find((f) => f.path === 'Shared/info@contoso.com/INBOX');
    assert.equal(sharedInbox?.subscribed, true);
    const lsub = (await alice.list()).filter((f) => f.subscribed).map((f) => f.path);
    assert.ok(lsub.includes('Shared/info@contoso.com/INBOX'));
  });

  it('lets two members read the same messages and share their flags and expunges', async () => {
    const alice = await open(org.alice.address);
    const bob = await open(org.bob.address);
    const box = 'Shared/info@contoso.com/INBOX';
    await eventually(async () => ((await alice.status(box, { messages: true }) as { messages?: number }).messages ?? 0) >= 2 || undefined);
    const lockA = await alice.getMailboxLock(box);
    const lockB = await bob.getMailboxLock(box);
    try {
      const subjects: string[] = [];
      for await (const m of alice.fetch('1:*', { envelope: true, uid: true, flags: true })) subjects.push(m.envelope?.subject ?? '');
      assert.deepEqual(subjects, ['First question', 'Second question']);
      await alice.messageFlagsAdd({ uid: '1' } as never, ['\\Seen'], { uid: true });
      const flags = await bob.fetchOne('1', { flags: true });
      assert.ok(flags && flags.flags?.has('\\Seen'), 'bob sees the \\Seen alice set');
      await bob.messageDelete('2');
      const left: number[] = [];
      for await (const m of alice.fetch('1:*', { uid: true })) left.push(m.uid);
      assert.deepEqual(left, [1]);
    } finally {
      lockA.release();
      lockB.release();
    }
  });

  it('answers a non-member as if the mailbox did not exist', async () => {
    const carol = await open(org.carol.address);
    const names = (await carol.list()).map((f) => f.path);
    assert.ok(!names.some((n) => n.startsWith('Shared/')), names.join(', '));
    await assert.rejects(carol.mailboxOpen('Shared/info@contoso.com/INBOX'), (error: Error & { serverResponseCode?: string }) => {
      assert.equal(error.serverResponseCode, 'NONEXISTENT');
      return true;
    });
    await assert.rejects(carol.mailboxOpen('Shared/nobody@contoso.com/INBOX'), (error: Error & { serverResponseCode?: string }) => {
      assert.equal(error.serverResponseCode, 'NONEXISTENT');
      return true;
    });
  });

  it('opens the shared mailbox as the personal namespace on a delegated login', async () => {
    const delegated = await open(`${org.alice.address}\\${org.info}`, undefined);
    const box = await delegated.mailboxOpen('INBOX');
    assert.ok(box.exists >= 1);
    const names = (await delegated.list()).map((f) => f.path);
    assert.ok(!names.some((n) => n.startsWith('Shared/')));
    await assert.rejects(imapClient(server, { user: `${org.carol.address}\\${org.info}`, password: `Pw-${org.carol.address}-1` }));
  });

  it('pushes a new message to a member in IDLE', async () => {
    const bob = await open(org.bob.address);
    const lock = await bob.getMailboxLock('Shared/info@contoso.com/INBOX');
    try {
      const before = (bob.mailbox as { exists: number }).exists;
      const seen = new Promise<number>((resolve) => bob.on('exists', (data: { count: number }) => resolve(data.count)));
      const idling = bob.idle();
      await deliver(server, org.info, 'Pushed');
      const count = await seen;
      assert.equal(count, before + 1);
      void idling;
    } finally {
      lock.release();
    }
  });
});
