import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ImapFlow } from 'imapflow';
import { assertStatus, encode } from './api-helpers.js';
import { createOrganization, deliver, eventually, ImapClients, startImapServer, stopImapServer, type ImapServer, type Organization } from './imap-helpers.js';
import { passwordOf } from './mail-helpers.js';
import { RawImap } from './imap-raw-client.js';

// CREATE, DELETE, RENAME (RFC 3501 §6.3.3–5), SUBSCRIBE/UNSUBSCRIBE (§6.3.6–7), QUOTA (RFC 9208)
// and the private \Seen setting, driven through real connections with the exact response codes.
describe('IMAP folders, subscriptions, quota and private \\Seen', () => {
  let server: ImapServer;
  let org: Organization;
  const raws: RawImap[] = [];
  const clients = new ImapClients(() => server);
  const shared = 'Shared/info@contoso.com';

  const raw = async (user: string): Promise<RawImap> => {
    const connection = await RawImap.open(server.imapPort);
    raws.push(connection);
    await connection.login(user, passwordOf(user.split('\\')[0]!));
    return connection;
  };
  const open = (user: string): Promise<ImapFlow> => clients.connect(user);
  let n = 0;
  const run = async (connection: RawImap, text: string) => connection.command(`T${++n}`, text);
  const done = (result: { done: string }) => result.done.replace(/^T\d+ /, '');

  before(async () => {
    server = await startImapServer();
    org = await createOrganization(server);
    await deliver(server, org.info, 'Question');
  });
  after(async () => {
    for (const r of raws) r.close();
    await clients.closeAll();
    await stopImapServer(server);
  });

  it('CREATE makes personal and shared folders, with their parents, and refuses the rest', async () => {
    const alice = await raw(org.alice.address);
    assert.match(done(await run(alice, 'CREATE "Projects/2026"')), /^OK/);
    assert.match(done(await run(alice, 'CREATE "Projects"')), /^NO \[ALREADYEXISTS\]/);
    assert.match(done(await run(alice, 'CREATE "inbox"')), /^NO \[ALREADYEXISTS\]/);
    assert.match(done(await run(alice, `CREATE "${shared}/Cases/"`)), /^OK/);
    assert.match(done(await run(alice, 'CREATE "Shared"')), /^NO \[CANNOT\]/);
    assert.match(done(await run(alice, `CREATE "${shared}"`)), /^NO \[CANNOT\]/);
    assert.match(done(await run(alice, 'CREATE "Shared/nobody@contoso.com/X"')), /^NO \[CANNOT\]/);
    assert.match(done(await run(alice, 'CREATE "Bills" (USE (\\Drafts))')), /^NO \[USEATTR\]/);
    const listed = (await run(alice, 'LIST "" "*"')).untagged.join('\n');
    assert.match(listed, / Projects\/2026$/m);
    assert.match(listed, / Shared\/info@contoso.com\/Cases$/m);
    // Another member sees the shared folder at once, subscribed.
    const bob = await open(org.bob.address);
    const bobs = await bob.list();
    assert.equal(bobs.find((f) => f.path === `${shared}/Cases`)?.subscribed, true);
  });

  it('RENAME moves a folder with its children; INBOX renamed moves its messages and stays', async () => {
    const alice = await raw(org.alice.address);
    assert.match(done(await run(alice, 'RENAME "Projects" "Work/Projects"')), /^OK/);
    const listed = (await run(alice, 'LIST "" "*"')).untagged.join('\n');
    assert.match(listed, / Work\/Projects\/2026$/m);
    assert.doesNotMatch(listed, / Projects$/m);
    assert.match(done(await run(alice, 'RENAME "Missing" "Other"')), /^NO \[NONEXISTENT\]/);
    assert.match(done(await run(alice, 'RENAME "Work" "Work/Inner"')), /^NO \[CANNOT\]/);
    assert.match(done(await run(alice, 'RENAME "Work" "Drafts"')), /^NO \[ALREADYEXISTS\]/);
    assert.match(done(await run(alice, 'RENAME "Sent Items" "Sent"')), /^NO \[CANNOT\]/);
    assert.match(done(await run(alice, `RENAME "Work" "${shared}/Work"`)), /^NO \[CANNOT\]/);

    await eventually(async () => (await run(alice, `STATUS "${shared}/INBOX" (MESSAGES)`)).untagged.join('').includes('MESSAGES 1'));
    assert.match(done(await run(alice, `RENAME "${shared}/INBOX" "${shared}/Old mail"`)), /^OK/);
    assert.match((await run(alice, `STATUS "${shared}/INBOX" (MESSAGES)`)).untagged.join(''), /MESSAGES 0/);
    assert.match((await run(alice, `STATUS "${shared}/Old mail" (MESSAGES)`)).untagged.join(''), /MESSAGES 1/);
  });

  it('DELETE keeps the messages recoverable and refuses INBOX, default folders and parents', async () => {
    const alice = await raw(org.alice.address);
    assert.match(done(await run(alice, 'DELETE "INBOX"')), /^NO \[CANNOT\]/);
    assert.match(done(await run(alice, 'DELETE "Deleted Items"')), /^NO \[CANNOT\]/);
    assert.match(done(await run(alice, 'DELETE "Work"')), /^NO \[HASCHILDREN\]/);
    assert.match(done(await run(alice, 'DELETE "Nope"')), /^NO \[NONEXISTENT\]/);
    assert.match(done(await run(alice, `DELETE "${shared}/Old mail"`)), /^OK/);
    assert.match(done(await run(alice, `SELECT "${shared}/Old mail"`)), /^NO \[NONEXISTENT\]/);
    const recoverable = await server.admin('GET', `/mailboxes/${encode(org.info)}/recoverable`);
    assertStatus(recoverable, 200);
    assert.match(JSON.stringify(recoverable.body), /Question/);
  });

  it('SUBSCRIBE and UNSUBSCRIBE change LSUB; names the session cannot open are refused', async () => {
    const alice = await raw(org.alice.address);
    assert.match(done(await run(alice, `UNSUBSCRIBE "${shared}/Cases"`)), /^OK/);
    assert.doesNotMatch((await run(alice, 'LSUB "" "*"')).untagged.join('\n'), /Cases/);
    const sub = await run(alice, `SUBSCRIBE "${shared}/Cases"`);
    assert.match(done(sub), /^OK/);
    assert.match((await run(alice, 'LSUB "" "*"')).untagged.join('\n'), /Cases/);
    assert.match(done(await run(alice, 'SUBSCRIBE "Shared/nobody@contoso.com/INBOX"')), /^NO \[NONEXISTENT\]/);
    const carol = await raw(org.carol.address);
    assert.match(done(await run(carol, `SUBSCRIBE "${shared}/INBOX"`)), /^NO \[NONEXISTENT\]/);
  });

  it('GETQUOTAROOT names the mailbox; GETQUOTA reports STORAGE in KiB; SETQUOTA is refused', async () => {
    assertStatus(await server.admin('PATCH', `/mailboxes/${encode(org.info)}/settings`, { quota: { warn: '1MB', send: '2MB', receive: '3MB' } }), 200);
    const alice = await raw(org.alice.address);
    const root = await run(alice, `GETQUOTAROOT "${shared}/INBOX"`);
    assert.match(done(root), /^OK/);
    assert.match(root.untagged.join('\n'), /^\* QUOTAROOT Shared\/info@contoso.com\/INBOX info@contoso.com$/m);
    assert.match(root.untagged.join('\n'), /^\* QUOTA info@contoso.com \(STORAGE \d+ 3072\)$/m);
    assert.match((await run(alice, 'GETQUOTA "info@contoso.com"')).untagged.join(''), /STORAGE \d+ 3072/);
    assert.match((await run(alice, 'GETQUOTAROOT "INBOX"')).untagged.join('\n'), /^\* QUOTAROOT INBOX alice@contoso.com$/m);
    const carol = await raw(org.carol.address);
    assert.match(done(await run(carol, 'GETQUOTA "info@contoso.com"')), /^NO \[NONEXISTENT\]/);
    assert.match(done(await run(carol, `GETQUOTAROOT "${shared}/INBOX"`)), /^NO \[NONEXISTENT\]/);
    assert.match(done(await run(alice, 'SETQUOTA "info@contoso.com" (STORAGE 10)')), /^NO \[NOPERM\]/);
  });

  it('private \\Seen: off, members share \\Seen; on, each member has their own', async () => {
    const box = `${shared}/INBOX`;
    await deliver(server, org.info, 'Seen test');
    const alice = await open(org.alice.address);
    const bob = await open(org.bob.address);
    const seenBy = async (client: ImapFlow): Promise<boolean> => {
      const lock = await client.getMailboxLock(box);
      try {
        const message = await client.fetchOne('*', { flags: true });
        return message !== false && (message.flags?.has('\\Seen') ?? false);
      } finally {
        lock.release();
        // The read-state model is taken at SELECT (seen-state.ts): close so the next look reselects.
        await client.mailboxClose();
      }
    };
    const setSeen = async (client: ImapFlow, on: boolean): Promise<void> => {
      const lock = await client.getMailboxLock(box);
      try {
        if (on) await client.messageFlagsAdd('*', ['\\Seen']);
        else await client.messageFlagsRemove('*', ['\\Seen']);
      } finally {
        lock.release();
        // The read-state model is taken at SELECT (seen-state.ts): close so the next look reselects.
        await client.mailboxClose();
      }
    };
    await eventually(async () => (((await alice.status(box, { messages: true })) as { messages?: number }).messages ?? 0) >= 1 || undefined);

    await setSeen(alice, true);
    assert.equal(await seenBy(bob), true, 'shared \\Seen by default');
    await setSeen(alice, false);

    assertStatus(await server.admin('PATCH', `/mailboxes/${encode(org.info)}/settings`, { privateSeen: true }), 200);
    await setSeen(alice, true);
    assert.equal(await seenBy(alice), true);
    assert.equal(await seenBy(bob), false, 'bob does not see alice\'s \\Seen');
    const settings = await server.admin('GET', `/mailboxes/${encode(org.info)}/settings`);
    assert.equal((settings.body as { privateSeen: boolean }).privateSeen, true);
  });
});
