import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { adminApi, assertStatus, auditLog, signIn, withToken, type Api } from './api-helpers.js';
import { freePort, removeDataDir, startServer, type TestServer } from './harness.js';
import { fetchRaw, folderCounts, listMessages, patchSettings, plainMessage, waitForMessages } from './mail-helpers.js';
import { refused, smtplibSession, startTlsCertificate, submissionTransport, submit, type Credentials } from './submission-helpers.js';

/** Issue 3, "Submission": STARTTLS, AUTH, sender authorization, sent items, quota, audit — through nodemailer and Python's smtplib. */

const replies = {
  authFailed: '535 5.7.8 Authentication credentials invalid',
  authRequired: [530, '5.7.0 Authentication required'] as [number, string],
  notPermitted: '550 5.7.60 SMTP; Client does not have permissions to send as this sender',
  notPermittedText: '5.7.60 SMTP; Client does not have permissions to send as this sender',
  sendQuota: "554 5.2.2 Your mailbox is full and can't send messages. Delete some items or ask your administrator for more space.",
} as const;

const hostname = 'mail.contoso.com';
const people = {
  alice: { user: 'alice@contoso.com', password: 'Alice-password-1', name: 'Alice Wilber' },
  bob: { user: 'bob@contoso.com', password: 'Bob-password-1', name: 'Bob Kelly' },
  carol: { user: 'carol@contoso.com', password: 'Carol-password-1', name: 'Carol Diaz' },
  eve: { user: 'eve@contoso.com', password: 'Eve-password-1', name: 'Eve Adams' },
  frank: { user: 'frank@contoso.com', password: 'Frank-password-1', name: 'Frank Miller' },
  gina: { user: 'gina@contoso.com', password: 'Gina-password-1', name: 'Gina Lopez' },
} as const;
type Person = keyof typeof people;

describe('SMTP submission', () => {
  let server: TestServer;
  let ports: { submission: number; smtp: number };
  let admin: Api;
  const readers = {} as Record<Person, Api>;
  const tokens = {} as Record<Person, string>;
  const cred = (p: Person): Credentials => people[p];

  const startWith = async (dataDir?: string) => {
    ports = { submission: await freePort(), smtp: await freePort() };
    return startServer({
      ...(dataDir ? { dataDir } : {}),
      env: { MAILROOM_SUBMISSION_PORT: String(ports.submission), MAILROOM_SMTP_PORT: String(ports.smtp), MAILROOM_HOSTNAME: hostname, MAILROOM_LOG_LEVEL: 'info' },
    });
  };

  /** The newest entries of one audit action. */
  const audits = async (action: string) => (await auditLog(admin)).filter((e) => e.action === action);

  /** Sends with nodemailer as `who`, waits until `reader`'s inbox has one more message, and returns its stored bytes. */
  const sendAndRead = async (who: Person, message: Parameters<typeof submit>[2], to: Person = 'bob') => {
    const response = await submit(ports.submission, cred(who), message);
    assert.match(response, /^250 /);
    // Wait for this very message: counting the inbox first would race with an earlier test's
    // message that is still being delivered (delivery follows the 250 asynchronously).
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = (await listMessages(readers[to], people[to].user)).filter((m) => m.subject === message.subject).at(-1);
      if (found) return fetchRaw(server, tokens[to], people[to].user, found.uid);
      if (Date.now() > deadline) throw new Error(`"${message.subject}" did not arrive for ${people[to].user}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  before(async () => {
    server = await startWith();
    admin = await adminApi(server);
    for (const [key, p] of Object.entries(people) as [Person, (typeof people)[Person]][]) {
      assertStatus(await admin('POST', '/users', { address: p.user, displayName: p.name, password: p.password }), 201);
      tokens[key] = await signIn(server, p.user, p.password);
      readers[key] = withToken(server, tokens[key]);
    }
    for (const [address, displayName] of [['info@contoso.com', 'Info'], ['support@contoso.com', 'Support'], ['sales@contoso.com', 'Sales'], ['events@contoso.com', 'Events']]) {
      assertStatus(await admin('POST', '/shared-mailboxes', { displayName, address }), 201);
    }
    // Members get FullAccess and SendAs, as in the admin center.
    assertStatus(await admin('POST', '/shared-mailboxes/info@contoso.com/members', { members: ['alice@contoso.com'] }), 200);
    assertStatus(await admin('POST', '/shared-mailboxes/events@contoso.com/members', { members: ['alice@contoso.com'] }), 200);
    assertStatus(await admin('POST', '/mailboxes/support@contoso.com/permissions', { trustee: 'alice@contoso.com', rights: ['FullAccess', 'SendOnBehalf'] }), 200);
    assertStatus(await admin('POST', '/mailboxes/support@contoso.com/permissions', { trustee: 'frank@contoso.com', rights: ['FullAccess'] }), 200);
    assertStatus(await admin('POST', '/groups', { address: 'sales-staff@contoso.com', displayName: 'Sales Staff', type: 'security' }), 201);
    assertStatus(await admin('POST', '/groups/sales-staff@contoso.com/members', { members: ['eve@contoso.com'] }), 200);
    assertStatus(await admin('POST', '/mailboxes/sales@contoso.com/permissions', { trustee: 'sales-staff@contoso.com', rights: ['SendAs'] }), 200);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('the first start makes a self-signed certificate in the data directory; submission and MX offer it with STARTTLS', async () => {
    const certFile = join(server.dataDir, 'tls', 'cert.pem');
    const keyFile = join(server.dataDir, 'tls', 'key.pem');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the key is readable by its owner only');
    const cert = new X509Certificate(readFileSync(certFile));
    assert.match(cert.subject, new RegExp(`^CN=${hostname.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(cert.subjectAltName ?? '', /DNS:mail\.contoso\.com, DNS:localhost/);
    assert.equal(cert.issuer, cert.subject, 'self-signed');
    for (const port of [ports.submission, ports.smtp]) {
      const probe = await startTlsCertificate(port);
      assert.equal(probe.certificate.fingerprint256, cert.fingerprint256);
    }
    const { ehlo } = await startTlsCertificate(ports.submission);
    for (const keyword of ['STARTTLS', 'AUTH PLAIN LOGIN', 'ENHANCEDSTATUSCODES']) assert.ok(ehlo.includes(keyword), `EHLO offers ${keyword}: ${ehlo.join(' | ')}`);
  });

  test('STARTTLS then AUTH PLAIN and AUTH LOGIN (nodemailer); a user sends as themself; no copy is kept for them', async () => {
    for (const authMethod of ['PLAIN', 'LOGIN'] as const) {
      const response = await submit(ports.submission, cred('alice'), { from: 'Alice Wilber <alice@contoso.com>', to: 'bob@contoso.com', subject: `Hello over ${authMethod}`, text: 'Hi Bob' }, authMethod);
      assert.match(response, /^250 2\.0\.0 Ok: queued as [0-9a-f-]{36}$/);
    }
    const inbox = await waitForMessages(readers.bob, 'bob@contoso.com', 2, { timeoutMs: 5000 });
    assert.deepEqual(inbox.map((m) => m.subject), ['Hello over PLAIN', 'Hello over LOGIN']);
    const raw = (await fetchRaw(server, tokens.bob, 'bob@contoso.com', inbox[0]!.uid)).toString('utf8');
    assert.match(raw, /^Received: from client\.test \(\[127\.0\.0\.1\]\)\r\n\tby mail\.contoso\.com \(Mailroom\) with ESMTPSA id [0-9a-f]{16};/, 'RFC 3848: TLS and authenticated');
    assert.match(raw, /\r\nFrom: Alice Wilber <alice@contoso\.com>\r\n/);
    assert.doesNotMatch(raw, /\r\nSender:/i);
    const logged = server.output().split('\n').filter((l) => l.includes('"msg":"authenticated"') && l.includes('alice@contoso.com'));
    assert.ok(logged.some((l) => l.includes('"method":"PLAIN"')) && logged.some((l) => l.includes('"method":"LOGIN"')), 'both mechanisms were used');
    assert.ok(logged.every((l) => l.includes('"tls":true')));
    assert.ok(!server.output().includes(people.alice.password), 'no password in the log');
    assert.equal((await folderCounts(readers.alice, 'alice@contoso.com'))['Sent Items'] ?? 0, 0, "the member's own copy is the client's job");
    assert.deepEqual(await audits('send.as'), [], 'sending as oneself is not audited');
  });

  test('a wrong password, an unknown account and a blocked account all get 535 5.7.8, the same words; a block ends open sessions', async () => {
    const verify = (c: Credentials, authMethod: 'PLAIN' | 'LOGIN') => refused(() => submissionTransport(ports.submission, c, { authMethod }).verify());
    // A session that signed in before the block can't start another message.
    const session = submissionTransport(ports.submission, cred('carol'), { pool: true });
    const asCarol = (subject: string) => session.sendMail({ from: 'carol@contoso.com', to: 'bob@contoso.com', subject, text: 'x' });
    try {
      assert.match((await asCarol('Before the block')).response ?? '', /^250 /);
      assertStatus(await admin('POST', '/users/block', { addresses: ['carol@contoso.com'] }), 200);
      const blocked = await refused(() => asCarol('After the block'));
      assert.deepEqual([blocked.responseCode, blocked.response, blocked.command], [530, '530 5.7.0 Authentication required', 'MAIL FROM']);
    } finally {
      session.close();
    }
    for (const authMethod of ['PLAIN', 'LOGIN'] as const) {
      for (const c of [{ user: 'alice@contoso.com', password: 'Wrong-password-1' }, { user: 'nobody@contoso.com', password: 'Alice-password-1' }, cred('carol')]) {
        const refusal = await verify(c, authMethod);
        assert.deepEqual([refusal.responseCode, refusal.response], [535, replies.authFailed], `${c.user} over ${authMethod}`);
      }
    }
    const viaPython = await smtplibSession({ port: ports.submission, starttls: true, auth: { method: 'LOGIN', ...cred('carol') } });
    assert.deepEqual(viaPython.auth, [535, '5.7.8 Authentication credentials invalid']);
    // A shared mailbox's account is blocked from the start: nobody signs in as it.
    const shared = await smtplibSession({ port: ports.submission, starttls: true, auth: { method: 'PLAIN', user: 'info@contoso.com', password: 'anything-at-all' } });
    assert.deepEqual(shared.auth, [535, '5.7.8 Authentication credentials invalid']);
    assert.ok(!server.output().includes('Wrong-password-1'), 'no password in the log');
  });

  test('on loopback AUTH works before TLS (smtplib without STARTTLS); the trace says ESMTPA', async () => {
    const data = plainMessage({ from: 'alice@contoso.com', to: 'bob@contoso.com', subject: 'Plain loopback' });
    const t = await smtplibSession({ port: ports.submission, auth: { method: 'PLAIN', ...cred('alice') }, from: 'alice@contoso.com', to: ['bob@contoso.com'], data });
    assert.equal(t.features.auth?.trim(), 'PLAIN LOGIN');
    assert.deepEqual(t.auth, [235, '2.7.0 Authentication successful']);
    assert.equal(t.data?.[0], 250);
    let arrived: { uid: number } | undefined;
    for (const deadline = Date.now() + 5000; !arrived && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      arrived = (await listMessages(readers.bob, 'bob@contoso.com')).find((m) => m.subject === 'Plain loopback');
    }
    assert.ok(arrived, 'the message was delivered');
    const raw = await fetchRaw(server, tokens.bob, 'bob@contoso.com', arrived.uid);
    assert.match(raw.toString('latin1'), /\(Mailroom\) with ESMTPA id /);
    assert.ok(raw.subarray(raw.length - data.length).equals(data), 'the message follows the trace field unchanged');
  });

  test('MAIL before AUTH is refused: 530 5.7.0', async () => {
    const t = await smtplibSession({ port: ports.submission, starttls: true, from: 'alice@contoso.com', to: ['bob@contoso.com'] });
    assert.deepEqual(t.mail, replies.authRequired);
  });

  test('Send As a shared mailbox the user is a member of: From stays the mailbox, no Sender; audited', async () => {
    const raw = (await sendAndRead('alice', { from: 'Info <info@contoso.com>', to: 'bob@contoso.com', subject: 'From the info desk', text: 'Hello', messageId: '<send-as-1@client.test>' })).toString('utf8');
    assert.match(raw, /\r\nFrom: Info <info@contoso\.com>\r\n/);
    assert.doesNotMatch(raw, /\r\nSender:/i);
    const [entry] = await audits('send.as');
    assert.deepEqual([entry.actor, entry.action, entry.target, entry.after], ['alice@contoso.com', 'send.as', 'info@contoso.com', { messageId: '<send-as-1@client.test>', recipients: 1 }]);
  });

  test('Send As through a security group', async () => {
    const raw = (await sendAndRead('eve', { from: 'Sales <sales@contoso.com>', to: 'bob@contoso.com', subject: 'Our offer', text: 'Prices', messageId: '<send-as-2@client.test>' })).toString('utf8');
    assert.match(raw, /\r\nFrom: Sales <sales@contoso\.com>\r\n/);
    const [entry] = await audits('send.as');
    assert.deepEqual([entry.actor, entry.target, entry.after], ['eve@contoso.com', 'sales@contoso.com', { messageId: '<send-as-2@client.test>', recipients: 1 }]);
  });

  test('Send on Behalf: From stays the mailbox, Sender names the user (a Sender the client wrote is replaced); audited', async () => {
    const message = {
      envelope: { from: 'alice@contoso.com', to: ['bob@contoso.com', 'gina@contoso.com'] },
      from: 'Support <support@contoso.com>', to: 'bob@contoso.com', cc: 'gina@contoso.com', subject: 'Your ticket', text: 'Fixed',
      messageId: '<on-behalf-1@client.test>', headers: { Sender: 'Mallory <mallory@fabrikam.example>' },
    };
    const raw = (await sendAndRead('alice', message)).toString('utf8');
    const header = raw.slice(0, raw.indexOf('\r\n\r\n'));
    assert.match(header, /\r\nFrom: Support <support@contoso\.com>\r\n/);
    assert.deepEqual(header.match(/^Sender:.*$/gim), ['Sender: Alice Wilber <alice@contoso.com>']);
    const [entry] = await audits('send.on-behalf');
    assert.deepEqual([entry.actor, entry.target, entry.after], ['alice@contoso.com', 'support@contoso.com', { messageId: '<on-behalf-1@client.test>', recipients: 2 }]);
  });

  test('From an address the user may not use: 550 5.7.60 after DATA, nothing delivered', async () => {
    const bobBefore = (await listMessages(readers.bob, 'bob@contoso.com')).length;
    const attempts: [Person, string][] = [
      ['alice', 'Bob Kelly <bob@contoso.com>'], // another user
      ['alice', 'Partner <partner@fabrikam.example>'], // outside the organization
      ['alice', 'Sales <sales@contoso.com>'], // a mailbox she has no right on
      ['frank', 'Support <support@contoso.com>'], // FullAccess alone does not allow sending
      ['alice', 'Sales Staff <sales-staff@contoso.com>'], // a group
      ['alice', 'alice@contoso.com, bob@contoso.com'], // every author must be allowed
    ];
    for (const [who, from] of attempts) {
      const refusal = await refused(() => submit(ports.submission, cred(who), { envelope: { from: people[who].user, to: ['bob@contoso.com'] }, from, to: 'bob@contoso.com', subject: 'Spoof', text: 'x' }));
      assert.deepEqual([refusal.responseCode, refusal.response, refusal.command], [550, replies.notPermitted, 'DATA'], `${who} as ${from}`);
    }
    const viaPython = await smtplibSession({
      port: ports.submission, starttls: true, auth: { method: 'PLAIN', ...cred('alice') }, from: 'alice@contoso.com', to: ['bob@contoso.com'],
      data: plainMessage({ from: 'bob@contoso.com', to: 'bob@contoso.com', subject: 'Spoof' }),
    });
    assert.deepEqual(viaPython.data, [550, replies.notPermittedText]);
    // A sentinel proves the refused messages are not merely late.
    await sendAndRead('alice', { from: 'alice@contoso.com', to: 'bob@contoso.com', subject: 'Sentinel', text: 'x' });
    assert.equal((await listMessages(readers.bob, 'bob@contoso.com')).length, bobBefore + 1);
  });

  test('MAIL FROM an address the user may not use: 550 5.7.60 at MAIL', async () => {
    const t = await smtplibSession({ port: ports.submission, starttls: true, auth: { method: 'LOGIN', ...cred('alice') }, from: 'bob@contoso.com', to: ['bob@contoso.com'] });
    assert.deepEqual(t.mail, [550, replies.notPermittedText]);
    const refusal = await refused(() => submit(ports.submission, cred('frank'), { envelope: { from: 'support@contoso.com', to: ['bob@contoso.com'] }, from: 'frank@contoso.com', to: 'bob@contoso.com', subject: 'x', text: 'x' }));
    assert.deepEqual([refusal.responseCode, refusal.response, refusal.command], [550, replies.notPermitted, 'MAIL FROM']);
  });

  test('a revoked grant applies to the very next message, on the same connection', async () => {
    const signIns = () => server.output().split('\n').filter((l) => l.includes('"msg":"authenticated"') && l.includes('"user":"alice@contoso.com"')).length;
    const signInsBefore = signIns();
    const transport = submissionTransport(ports.submission, cred('alice'), { pool: true });
    const asEvents = (subject: string) => transport.sendMail({ from: 'Events <events@contoso.com>', to: 'bob@contoso.com', subject, text: 'x' });
    try {
      assert.match((await asEvents('Before the change')).response ?? '', /^250 /);
      assertStatus(await admin('POST', '/mailboxes/events@contoso.com/permissions/remove', { trustee: 'alice@contoso.com', rights: ['SendAs'] }), 200);
      const refusal = await refused(() => asEvents('After the change'));
      assert.deepEqual([refusal.responseCode, refusal.response, refusal.command], [550, replies.notPermitted, 'MAIL FROM']);
      assertStatus(await admin('POST', '/mailboxes/events@contoso.com/permissions', { trustee: 'alice@contoso.com', rights: ['SendAs'] }), 200);
      assert.match((await asEvents('Granted again')).response ?? '', /^250 /);
      assert.equal(signIns(), signInsBefore + 1, 'all three messages went over one authenticated session');
    } finally {
      transport.close();
    }
  });

  test("sent items: with the mailbox's copy setting on, one copy in its Sent Items, marked \\Seen; off, none", async () => {
    const sentOf = (address: string) => listMessages(readers.alice, address, 'Sent Items');
    // A mailbox's folders are made at its first delivery; the earlier Send As made no copy (the setting is off by default).
    assert.equal((await folderCounts(readers.alice, 'info@contoso.com'))['Sent Items'] ?? 0, 0);
    await patchSettings(admin, 'info@contoso.com', { sentItems: { copySentAs: true } });
    await sendAndRead('alice', { from: 'Info <info@contoso.com>', to: 'bob@contoso.com', subject: 'Copy kept', text: 'x' });
    const kept = await sentOf('info@contoso.com');
    assert.deepEqual(kept.map((m) => [m.subject, m.flags]), [['Copy kept', ['\\Seen']]]);
    await patchSettings(admin, 'info@contoso.com', { sentItems: { copySentAs: false } });
    await sendAndRead('alice', { from: 'Info <info@contoso.com>', to: 'bob@contoso.com', subject: 'No copy', text: 'x' });
    assert.deepEqual((await sentOf('info@contoso.com')).map((m) => m.subject), ['Copy kept']);
    // Send on Behalf has its own setting; the copy carries the Sender field too.
    await sendAndRead('alice', { from: 'Support <support@contoso.com>', to: 'bob@contoso.com', subject: 'Behalf, no copy', text: 'x' });
    assert.equal((await folderCounts(readers.alice, 'support@contoso.com'))['Sent Items'] ?? 0, 0);
    await patchSettings(admin, 'support@contoso.com', { sentItems: { copySendOnBehalf: true } });
    await sendAndRead('alice', { from: 'Support <support@contoso.com>', to: 'bob@contoso.com', subject: 'Behalf, copied', text: 'x' });
    const copied = await sentOf('support@contoso.com');
    assert.deepEqual(copied.map((m) => [m.subject, m.flags]), [['Behalf, copied', ['\\Seen']]]);
    const raw = await fetchRaw(server, tokens.alice, 'support@contoso.com', copied[0]!.uid, 'Sent Items');
    assert.match(raw.toString('utf8'), /\r\nSender: Alice Wilber <alice@contoso\.com>\r\n/);
    assert.equal((await folderCounts(readers.alice, 'info@contoso.com')).INBOX, 0, 'a sent copy is not mail received');
    assert.equal((await folderCounts(readers.alice, 'alice@contoso.com'))['Sent Items'] ?? 0, 0);
  });

  test('every recipient of a submission becomes a known sender of the From mailbox', async () => {
    const db = new BetterSqlite3(join(server.dataDir, 'mailroom.sqlite'), { readonly: true });
    try {
      const known = (address: string) => (db.prepare(`SELECT k.address_key FROM known_senders k JOIN recipients r ON r.id = k.mailbox_id
        WHERE r.primary_address = ? ORDER BY k.address_key`).all(address) as { address_key: string }[]).map((r) => r.address_key);
      assert.deepEqual(known('support@contoso.com'), ['bob@contoso.com', 'gina@contoso.com']);
      assert.deepEqual(known('alice@contoso.com'), ['bob@contoso.com']);
    } finally {
      db.close();
    }
  });

  test("over the sending mailbox's prohibit-send quota: 554 5.2.2", async () => {
    await sendAndRead('bob', { from: 'bob@contoso.com', to: 'gina@contoso.com', subject: 'Some mail for Gina', text: 'x' }, 'gina');
    await patchSettings(admin, 'gina@contoso.com', { quota: { warn: 1, send: 1, receive: 1024 ** 3 } });
    const refusal = await refused(() => submit(ports.submission, cred('gina'), { from: 'gina@contoso.com', to: 'bob@contoso.com', subject: 'Blocked', text: 'x' }));
    assert.deepEqual([refusal.responseCode, refusal.response, refusal.command], [554, replies.sendQuota, 'DATA']);
    // Receiving still works up to the receive quota, and raising the send quota lets her send again.
    await patchSettings(admin, 'gina@contoso.com', { quota: { warn: 1024 ** 3, send: 1024 ** 3 } });
    assert.match(await submit(ports.submission, cred('gina'), { from: 'gina@contoso.com', to: 'bob@contoso.com', subject: 'Sent again', text: 'x' }), /^250 /);
  });

  test('a restart reuses the certificate it made', async () => {
    const certFile = join(server.dataDir, 'tls', 'cert.pem');
    const before = readFileSync(certFile);
    assert.equal(await server.stop(), 0);
    server = await startWith(server.dataDir);
    assert.ok(readFileSync(certFile).equals(before), 'the certificate file is unchanged');
    const probe = await startTlsCertificate(ports.submission);
    assert.equal(probe.certificate.fingerprint256, new X509Certificate(before).fingerprint256);
    assert.match(await submit(ports.submission, cred('alice'), { from: 'alice@contoso.com', to: 'bob@contoso.com', subject: 'After restart', text: 'x' }), /^250 /);
  });
});

