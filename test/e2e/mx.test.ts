import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertProblem, assertStatus, messages } from './api-helpers.js';
import { removeDataDir } from './harness.js';
import {
  assertNothingDelivered, assertStoredExactly, createMailUser, deliverWithSmtplib, fetchRaw, folderCounts, patchSettings, plainMessage,
  refusedByNodemailer, runSwaks, sendWithNodemailer, sendWithSmtplib, snapshot, startMailServer, swaksAvailable, waitForMessages, watch, type MailServer, type MailUser,
} from './mail-helpers.js';

/** Issue 3, "Inbound SMTP (MX)": every rule through nodemailer and Python's smtplib, each refusal with its exact reply. */

const sizeLimit = 200_000;
const replies = {
  unknown: (a: string) => `5.1.1 <${a}>: Recipient address rejected: the email account that you tried to reach does not exist`,
  relay: (a: string) => `5.7.1 <${a}>: Relay access denied: we do not accept mail for this domain`,
  sizeAtMail: `5.3.4 Error: message exceeds fixed maximum message size ${sizeLimit}`,
  sizeAtData: `5.3.4 Message size exceeds the fixed maximum message size of ${sizeLimit} bytes`,
  mailboxFull: "5.2.2 The recipient's mailbox is full and can't accept messages now.",
} as const;
const external = 'sender@fabrikam.example';

describe('inbound SMTP (MX)', () => {
  let mail: MailServer;
  let alice: MailUser;
  let aliceFabrikam: MailUser;
  let bob: MailUser;
  let carol: MailUser;
  let dave: MailUser;

  before(async () => {
    mail = await startMailServer({ env: { MAILROOM_MAX_MESSAGE_SIZE: String(sizeLimit) } });
    assertStatus(await mail.admin('POST', '/domains', { name: 'fabrikam.com' }), 201);
    [alice, aliceFabrikam, bob, carol, dave] = await Promise.all([
      createMailUser(mail, 'alice@contoso.com'), createMailUser(mail, 'alice@fabrikam.com'), createMailUser(mail, 'bob@contoso.com'),
      createMailUser(mail, 'carol@contoso.com'), createMailUser(mail, 'dave@contoso.com'),
    ]);
    assertStatus(await mail.admin('POST', '/shared-mailboxes', { displayName: 'Info', address: 'info@contoso.com' }), 201);
    assertStatus(await mail.admin('POST', '/shared-mailboxes/info@contoso.com/members', { members: ['bob@contoso.com'] }), 200);
  });
  after(async () => {
    await mail.server.stop();
    removeDataDir(mail.server.dataDir);
  });

  test('EHLO advertises SIZE with the configured limit (RFC 1870)', async () => {
    const t = await deliverWithSmtplib(mail.smtpPort, { from: external, to: ['alice@contoso.com'], data: plainMessage({ from: external, to: 'alice@contoso.com', subject: 'Hello' }) });
    assert.equal(t.features.size, String(sizeLimit));
    // RFC 2034: the enhanced codes every refusal below carries are announced.
    assert.ok('enhancedstatuscodes' in t.features, JSON.stringify(t.features));
    await waitForMessages(alice, 'alice@contoso.com', 1);
  });

  test('a user receives mail: our Received and Authentication-Results header fields, then the original bytes exactly', async () => {
    const viaNodemailer = plainMessage({ from: `Sender <${external}>`, to: 'alice@contoso.com', subject: 'Sent by nodemailer', body: 'Line one\r\n.leading dot\r\n..two dots' });
    const sent = await sendWithNodemailer(mail.smtpPort, { from: external, to: ['alice@contoso.com'] }, viaNodemailer);
    assert.deepEqual(sent.accepted, ['alice@contoso.com']);
    assert.match(sent.response, /^250 2\.0\.0 Ok: queued as [0-9a-z-]+$/i);
    const viaSmtplib = plainMessage({ from: external, to: 'alice@contoso.com', subject: 'Sent by smtplib' });
    await deliverWithSmtplib(mail.smtpPort, { from: external, to: ['alice@contoso.com'], data: viaSmtplib });

    const inbox = await waitForMessages(alice, 'alice@contoso.com', 3);
    assert.deepEqual(inbox.map((m) => m.subject), ['Hello', 'Sent by nodemailer', 'Sent by smtplib']);
    for (const [uid, sentBytes] of [[2, viaNodemailer], [3, viaSmtplib]] as const) {
      const stored = await fetchRaw(mail.server, alice.token, 'alice@contoso.com', uid);
      assertStoredExactly(stored, sentBytes, 'alice@contoso.com');
      assert.equal(inbox[uid - 1]!.size, stored.length, 'size is the stored size');
    }
    assert.equal(inbox[1]!.from, 'Sender <sender@fabrikam.example>');
  });

  test('a shared mailbox receives mail; a member with FullAccess reads it, anyone else is told it does not exist', async () => {
    const message = plainMessage({ from: external, to: 'info@contoso.com', subject: 'Question for Info' });
    // nodemailer lowercases the domain of envelope addresses; the local part keeps its case.
    await sendWithNodemailer(mail.smtpPort, { from: external, to: ['Info@Contoso.com'] }, message);
    const inbox = await waitForMessages(bob, 'info@contoso.com', 1);
    assert.deepEqual(inbox.map((m) => [m.uid, m.subject, m.flags]), [[1, 'Question for Info', []]]);
    assertStoredExactly(await fetchRaw(mail.server, bob.token, 'info@contoso.com', 1), message, 'Info@contoso.com');
    assert.equal((await folderCounts(bob, 'info@contoso.com')).INBOX, 1);

    const notFound = { status: 404, type: 'not-found', detail: messages.unknownRecipient('info@contoso.com') } as const;
    for (const reader of [carol, mail.admin]) {
      assertProblem(await reader('GET', '/mailboxes/info@contoso.com/folders'), notFound);
      assertProblem(await reader('GET', '/mailboxes/info@contoso.com/folders/INBOX/messages'), notFound);
      assertProblem(await reader('GET', '/mailboxes/info@contoso.com/folders/INBOX/messages/1/raw'), notFound);
    }
  });

  test('the same local part on two accepted domains reaches two different mailboxes', async () => {
    const before = await snapshot([watch(alice)]);
    const message = plainMessage({ from: external, to: 'alice@fabrikam.com', subject: 'For Fabrikam Alice' });
    await deliverWithSmtplib(mail.smtpPort, { from: external, to: ['alice@fabrikam.com'], data: message });
    const inbox = await waitForMessages(aliceFabrikam, 'alice@fabrikam.com', 1);
    assert.deepEqual(inbox.map((m) => m.subject), ['For Fabrikam Alice']);
    assert.deepEqual(await snapshot([watch(alice)]), before, 'alice@contoso.com got nothing');

    // One message to both: each mailbox stores it once; the trace field names no single recipient.
    const both = plainMessage({ from: external, to: 'alice@contoso.com, alice@fabrikam.com', subject: 'For both Alices' });
    await sendWithNodemailer(mail.smtpPort, { from: external, to: ['alice@contoso.com', 'alice@fabrikam.com'] }, both);
    const [a, f] = await Promise.all([waitForMessages(alice, 'alice@contoso.com', before[0]!.INBOX! + 1), waitForMessages(aliceFabrikam, 'alice@fabrikam.com', 2)]);
    assert.deepEqual([a.at(-1)!.subject, f.at(-1)!.subject], ['For both Alices', 'For both Alices']);
    assert.equal(a.at(-1)!.blobHash, f.at(-1)!.blobHash, 'one blob for both mailboxes');
    const trace = assertStoredExactly(await fetchRaw(mail.server, alice.token, 'alice@contoso.com', a.at(-1)!.uid), both);
    assert.ok(!trace[0]!.includes('for <'), trace[0]);
  });

  test(`an unknown recipient is refused at RCPT with 550 5.1.1, and nothing is delivered`, async () => {
    const watched = [watch(alice), watch(bob)];
    const before = await snapshot(watched);
    const message = plainMessage({ from: external, to: 'nobody@contoso.com', subject: 'To nobody' });
    const t = await sendWithSmtplib(mail.smtpPort, { from: external, to: ['nobody@contoso.com'], data: message });
    assert.deepEqual([t.mail[0], t.rcpt, t.data], [250, [[550, replies.unknown('nobody@contoso.com')]], null]);
    const refused = await refusedByNodemailer(mail.smtpPort, { from: external, to: ['Nobody@Fabrikam.com'] }, message);
    assert.deepEqual(refused, { responseCode: 550, response: `550 ${replies.unknown('Nobody@fabrikam.com')}`, command: 'RCPT TO' });
    // A security group that is not mail-enabled is no recipient either.
    assertStatus(await mail.admin('POST', '/groups', { address: 'finance@contoso.com', displayName: 'Finance', type: 'security', mailEnabled: false }), 201);
    const notMailEnabled = await sendWithSmtplib(mail.smtpPort, { from: external, to: ['finance@contoso.com'], data: message });
    assert.deepEqual([notMailEnabled.rcpt, notMailEnabled.data], [[[550, '5.1.1 <finance@contoso.com>: Recipient address rejected: this recipient does not receive mail']], null]);
    await assertNothingDelivered(mail, watched, before, watched[1]!);

    // Among good recipients, only the unknown one is refused; the others get the message.
    const mixed = await sendWithSmtplib(mail.smtpPort, { from: external, to: ['nobody@contoso.com', 'bob@contoso.com'], data: plainMessage({ from: external, to: 'bob@contoso.com', subject: 'Mixed' }) });
    assert.deepEqual([mixed.rcpt, mixed.data?.[0]], [[[550, replies.unknown('nobody@contoso.com')], [250, '2.1.5 Accepted']], 250]);
    assert.equal((await waitForMessages(bob, 'bob@contoso.com', before[1]!.INBOX! + 2)).at(-1)!.subject, 'Mixed');
  });

  test(`a domain we don't serve is refused with 550 5.7.1: no open relay`, async () => {
    const watched = [watch(alice), watch(carol)];
    const before = await snapshot(watched);
    // From outside to outside, and with a local sender address (the MX has no authentication).
    for (const from of [external, 'alice@contoso.com']) {
      const t = await sendWithSmtplib(mail.smtpPort, { from, to: ['someone@gmail.com', 'carol@contoso.com.evil.example'], data: plainMessage({ from, to: 'someone@gmail.com', subject: 'Relay?' }) });
      assert.deepEqual([t.mail[0], t.rcpt, t.data], [250, [[550, replies.relay('someone@gmail.com')], [550, replies.relay('carol@contoso.com.evil.example')]], null]);
    }
    const refused = await refusedByNodemailer(mail.smtpPort, { from: external, to: ['someone@example.org'] }, plainMessage({ from: external, to: 'someone@example.org', subject: 'Relay?' }));
    assert.deepEqual(refused, { responseCode: 550, response: `550 ${replies.relay('someone@example.org')}`, command: 'RCPT TO' });
    await assertNothingDelivered(mail, watched, before, watched[1]!);
  });

  test('over the size limit: 552 5.3.4 at MAIL FROM SIZE= and after too much DATA; exactly the limit is accepted', async () => {
    const watched = [watch(carol)];
    const before = await snapshot(watched);
    const sized = (bytes: number, subject: string) => {
      const head = plainMessage({ from: external, to: 'carol@contoso.com', subject, body: '' });
      return Buffer.concat([head, Buffer.alloc(bytes - head.length - 2, 'x'), Buffer.from('\r\n')]);
    };
    const tooBig = sized(sizeLimit + 1, 'Too big');
    // smtplib declares the size in MAIL FROM (RFC 1870), so the refusal comes before any data.
    const declared = await sendWithSmtplib(mail.smtpPort, { from: external, to: ['carol@contoso.com'], data: tooBig, mailOptions: [`SIZE=${tooBig.length}`] });
    assert.deepEqual([declared.mail, declared.rcpt.map((r) => r[0]), declared.data], [[552, replies.sizeAtMail], [503], null]);
    // nodemailer declares nothing, so the whole message goes out and DATA is refused.
    const refused = await refusedByNodemailer(mail.smtpPort, { from: external, to: ['carol@contoso.com'] }, tooBig);
    assert.deepEqual(refused, { responseCode: 552, response: `552 ${replies.sizeAtData}`, command: 'DATA' });
    const undeclared = await sendWithSmtplib(mail.smtpPort, { from: external, to: ['carol@contoso.com'], data: tooBig });
    assert.deepEqual(undeclared.data, [552, replies.sizeAtData]);
    await assertNothingDelivered(mail, watched, before, watched[0]!);

    const exact = sized(sizeLimit, 'Exactly the limit');
    await deliverWithSmtplib(mail.smtpPort, { from: external, to: ['carol@contoso.com'], data: exact, mailOptions: [`SIZE=${exact.length}`] });
    const inbox = await waitForMessages(carol, 'carol@contoso.com', before[0]!.INBOX! + 2);
    assert.equal(inbox.at(-1)!.subject, 'Exactly the limit');
    assertStoredExactly(await fetchRaw(mail.server, carol.token, 'carol@contoso.com', inbox.at(-1)!.uid), exact);
  });

  test(`a mailbox over its prohibit-send-receive quota is refused at RCPT with 552 5.2.2, until the quota is raised`, async () => {
    await deliverWithSmtplib(mail.smtpPort, { from: external, to: ['dave@contoso.com'], data: plainMessage({ from: external, to: 'dave@contoso.com', subject: 'Fills the mailbox' }) });
    await waitForMessages(dave, 'dave@contoso.com', 1);
    const used = ((await dave('GET', '/mailboxes/dave@contoso.com/folders')).body as { bytes: number }[]).reduce((sum, f) => sum + f.bytes, 0);
    await patchSettings(mail.admin, 'dave@contoso.com', { quota: { warn: used, send: used, receive: used } });

    const watched = [watch(dave)];
    const before = await snapshot(watched);
    const message = plainMessage({ from: external, to: 'dave@contoso.com', subject: 'Does not fit' });
    const t = await sendWithSmtplib(mail.smtpPort, { from: external, to: ['dave@contoso.com', 'carol@contoso.com'], data: message });
    assert.deepEqual(t.rcpt, [[552, replies.mailboxFull], [250, '2.1.5 Accepted']]);
    const refused = await refusedByNodemailer(mail.smtpPort, { from: 'alice@contoso.com', to: ['DAVE@contoso.com'] }, message);
    assert.deepEqual(refused, { responseCode: 552, response: `552 ${replies.mailboxFull}`, command: 'RCPT TO' });
    await assertNothingDelivered(mail, watched, before, watch(alice));

    // A quota change applies to the very next message.
    await patchSettings(mail.admin, 'dave@contoso.com', { quota: { warn: '1GB', send: '1GB', receive: '1GB' } });
    await deliverWithSmtplib(mail.smtpPort, { from: external, to: ['dave@contoso.com'], data: message });
    assert.deepEqual((await waitForMessages(dave, 'dave@contoso.com', 2)).map((m) => m.subject), ['Fills the mailbox', 'Does not fit']);
  });
});

describe('inbound SMTP with swaks', { skip: swaksAvailable() ? false : 'swaks is not installed (Debian: apt-get install swaks)' }, () => {
  let mail: MailServer;
  let erin: MailUser;

  before(async () => {
    mail = await startMailServer({ env: { MAILROOM_MAX_MESSAGE_SIZE: String(sizeLimit) } });
    erin = await createMailUser(mail, 'erin@contoso.com');
  });
  after(async () => {
    await mail.server.stop();
    removeDataDir(mail.server.dataDir);
  });

  test('swaks delivers; EHLO shows SIZE', async () => {
    const run = await runSwaks(mail.smtpPort, ['--from', external, '--to', 'erin@contoso.com', '--header', 'Subject: From swaks', '--body', 'Hello from swaks']);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, new RegExp(`<-  250[ -]SIZE ${sizeLimit}\\n`));
    assert.match(run.output, /<-  250 2\.0\.0 Ok: queued as /);
    assert.deepEqual((await waitForMessages(erin, 'erin@contoso.com', 1)).map((m) => m.subject), ['From swaks']);
  });

  test('swaks sees each refusal with its code', async () => {
    const before = await snapshot([watch(erin)]);
    const unknown = await runSwaks(mail.smtpPort, ['--from', external, '--to', 'nobody@contoso.com']);
    assert.notEqual(unknown.code, 0);
    assert.ok(unknown.output.includes(`<** 550 ${replies.unknown('nobody@contoso.com')}`), unknown.output);
    const relay = await runSwaks(mail.smtpPort, ['--from', external, '--to', 'someone@gmail.com']);
    assert.ok(relay.output.includes(`<** 550 ${replies.relay('someone@gmail.com')}`), relay.output);
    // Swaks reads a large body from a file: an argument that big exceeds the exec limit.
    const bigBody = join(mail.server.dataDir, 'swaks-body.txt');
    writeFileSync(bigBody, `${'y'.repeat(76)}\n`.repeat(Math.ceil(sizeLimit / 77)));
    const big = await runSwaks(mail.smtpPort, ['--from', external, '--to', 'erin@contoso.com', '--body', `@${bigBody}`]);
    assert.ok(big.output.includes(`<** 552 ${replies.sizeAtData}`), big.output);
    await assertNothingDelivered(mail, [watch(erin)], before, watch(erin));
  });
});
