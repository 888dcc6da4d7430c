import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertProblem, assertStatus, auditLog, createUser, encode, messages, signIn, withToken, type Api } from './api-helpers.js';
import { lines, mailroom, parsed, refused, succeeded, words, type CliResult } from './cli-helpers.js';
import { removeDataDir } from './harness.js';
import {
  createMailUser, fetchRaw, listMessages, plainMessage, sendWithNodemailer, startMailServer, waitForMessages, type MailServer, type MailUser,
} from './mail-helpers.js';

/**
 * Issue 3, "The store": deleting is for everyone, as in Exchange; a delegate's delete is audited;
 * an administrator restores deleted mail with `mailroom mailbox recover`. Real SMTP in, the HTTP
 * API of the web app, and the real CLI.
 */

const info = 'info@contoso.com';
const external = 'partner@fabrikam.example';
const infoInbox = `/mailboxes/${encode(info)}/folders/INBOX/messages`;

describe('deleting for everyone, and recovering deleted mail', () => {
  let mail: MailServer;
  let bob: MailUser;
  let carol: MailUser;
  let dave: MailUser;
  let eve: Api;
  let configDir: string;
  /** The real `mailroom` command as this account (HTTP Basic from MAILROOM_USER / MAILROOM_PASSWORD). */
  const cli = (user: string, password: string) => (...args: string[]): Promise<CliResult> =>
    mailroom(args, { MAILROOM_URL: mail.server.url, MAILROOM_USER: user, MAILROOM_PASSWORD: password, MAILROOM_CONFIG_DIR: configDir });
  const asAdmin = (...args: string[]) => cli(mail.server.adminAddress, mail.server.adminPassword)(...args);
  const subjects = async (reader: Api) => (await listMessages(reader, info)).map((m) => m.subject);
  const send = (subject: string, to = info) => sendWithNodemailer(mail.smtpPort, { from: external, to: [to] }, plainMessage({ from: external, to, subject }));

  before(async () => {
    mail = await startMailServer();
    configDir = mkdtempSync(join(tmpdir(), 'mailroom-recovery-cli-'));
    [bob, carol, dave] = await Promise.all([createMailUser(mail, 'bob@contoso.com'), createMailUser(mail, 'carol@contoso.com'), createMailUser(mail, 'dave@contoso.com')]);
    await createUser(mail.admin, 'eve@contoso.com', 'Eve', 'Eve-password-1', ['exchange-admin']);
    eve = withToken(mail.server, await signIn(mail.server, 'eve@contoso.com', 'Eve-password-1'));
    assertStatus(await mail.admin('POST', '/shared-mailboxes', { displayName: 'Info', address: info }), 201);
    assertStatus(await mail.admin('POST', `/shared-mailboxes/${info}/members`, { members: ['bob@contoso.com', 'carol@contoso.com'] }), 200);
    await send('Price list');
    await send('Meeting notes');
    await waitForMessages(bob, info, 2);
  });
  after(async () => {
    await mail.server.stop();
    removeDataDir(mail.server.dataDir);
    rmSync(configDir, { recursive: true, force: true });
  });

  let priceList: Buffer;

  test('a member deletes a message over HTTP: it is gone for every member, and the delete is audited with the member', async () => {
    const [first] = await listMessages(carol, info);
    assert.equal(first?.subject, 'Price list');
    priceList = await fetchRaw(mail.server, carol.token, info, first.uid);

    const deleted = await bob('DELETE', `${infoInbox}/${first.uid}`);
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    assert.deepEqual(await subjects(carol), ['Meeting notes'], 'another member no longer sees it');
    assert.deepEqual(await subjects(bob), ['Meeting notes']);

    const entries = (await auditLog(mail.admin)).filter((e) => e.action === 'message.delete');
    assert.deepEqual(entries.map((e) => [e.actor, e.target, e.after]), [['bob@contoso.com', info, { folder: 'INBOX', uid: first.uid, subject: 'Price list' }]]);

    assertProblem(await carol('DELETE', `${infoInbox}/${first.uid}`), { status: 404, type: 'not-found', detail: `There is no message ${first.uid} in "INBOX".` });
    assertProblem(await bob('DELETE', `/mailboxes/${encode(info)}/folders/Nowhere/messages/2`), { status: 404, type: 'not-found', detail: 'There is no message 2 in "Nowhere".' });
  });

  test('someone who may not open the mailbox is told it does not exist, and deletes nothing', async () => {
    const [notes] = await listMessages(bob, info);
    for (const outsider of [dave, mail.admin]) {
      assertProblem(await outsider('DELETE', `${infoInbox}/${notes!.uid}`), { status: 404, type: 'not-found', detail: messages.unknownRecipient(info) });
    }
    assert.deepEqual(await subjects(bob), ['Meeting notes']);
  });

  test('an owner deleting from their own mailbox is not audited', async () => {
    await send('For Dave', 'dave@contoso.com');
    const [own] = await waitForMessages(dave, 'dave@contoso.com', 1);
    const before = await auditLog(mail.admin);
    assertStatus(await dave('DELETE', `/mailboxes/${encode('dave@contoso.com')}/folders/INBOX/messages/${own!.uid}`), 204);
    assert.deepEqual(await listMessages(dave, 'dave@contoso.com'), []);
    assert.deepEqual(await auditLog(mail.admin), before);
  });

  test('an administrator lists what can be restored', async () => {
    const items = parsed<any[]>(await asAdmin('mailbox', 'recoverable', info, '--json'));
    assert.deepEqual(items.map((i) => [i.folder, i.uid, i.subject, i.expungedBy]), [['INBOX', 1, 'Price list', 'bob@contoso.com']]);
    const table = lines(succeeded(await asAdmin('mailbox', 'recoverable', info)));
    assert.match(table[0]!, /^Folder\s+UID\s+Subject\s+Size\s+Deleted at\s+Deleted by\s+Recoverable until$/);
    assert.match(table[1]!, /^INBOX\s+1\s+Price list\s+\S+ \w*B\s+\S+\s+bob@contoso\.com\s+\S+$/);
    assert.equal(table.length, 2);
    assert.deepEqual(lines(succeeded(await asAdmin('mailbox', 'recoverable', 'carol@contoso.com'))), ['carol@contoso.com has no deleted messages that can be recovered.']);
  });

  test('mailbox recover --since a time in the future restores nothing', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    assert.deepEqual(lines(succeeded(await asAdmin('mailbox', 'recover', info, '--since', future))),
      [`Nothing to restore: no message deleted from ${info} since ${future} can be recovered.`]);
    assert.deepEqual(parsed(await asAdmin('mailbox', 'recover', info, '--since', future, '--json')), []);
    assert.deepEqual(await subjects(carol), ['Meeting notes']);
    assert.deepEqual((await auditLog(mail.admin)).filter((e) => e.action === 'mailbox.recover'), []);
  });

  test('anyone but an Exchange or Global Administrator is refused with the exact words, and nothing is restored', async () => {
    const asBob = cli('bob@contoso.com', 'Pw-bob@contoso.com-1');
    refused(await asBob('mailbox', 'recover', info), words.permissionDenied);
    refused(await asBob('mailbox', 'recoverable', info), words.permissionDenied);
    const denied = { status: 403, type: 'forbidden', detail: messages.permissionDenied } as const;
    assertProblem(await bob('POST', `/mailboxes/${encode(info)}/recover`, {}), denied);
    assertProblem(await dave('GET', `/mailboxes/${encode(info)}/recoverable`), denied);
    refused(await asAdmin('mailbox', 'recover', info, '--since', 'yesterday'), '"yesterday" is not an ISO 8601 time.');
    assertProblem(await mail.admin('POST', `/mailboxes/${encode(info)}/recover`, { since: 'yesterday' }),
      { status: 400, type: 'invalid-input', detail: '"yesterday" is not an ISO 8601 time.' });
    assertProblem(await mail.admin('POST', `/mailboxes/${encode(info)}/recover`, { after: '2020-01-01' }),
      { status: 400, type: 'invalid-input', detail: 'Invalid input: body has an unknown property "after".' });
    refused(await asAdmin('mailbox', 'recover', 'nobody@contoso.com'), words.unknown('nobody@contoso.com'));
    assert.deepEqual(await subjects(carol), ['Meeting notes']);
  });

  test('mailbox recover restores it for everyone, with a new UID and the same bytes, and is audited', async () => {
    const out = lines(succeeded(await asAdmin('mailbox', 'recover', info)));
    assert.equal(out[0], `Restored 1 message to ${info}:`);
    assert.match(out[1]!, /^Folder\s+UID\s+Subject\s+Deleted at\s+Deleted by$/);
    assert.match(out[2]!, /^INBOX\s+3\s+Price list\s+\d{4}-\d{2}-\d{2}T\S+Z\s+bob@contoso\.com$/);
    assert.equal(out.length, 3);

    for (const member of [bob, carol]) {
      const inbox = await listMessages(member, info);
      assert.deepEqual(inbox.map((m) => [m.uid, m.subject]), [[2, 'Meeting notes'], [3, 'Price list']], 'a new UID, above every earlier one');
    }
    assert.ok((await fetchRaw(mail.server, carol.token, info, 3)).equals(priceList), 'the same bytes');
    const [entry] = (await auditLog(mail.admin)).filter((e) => e.action === 'mailbox.recover');
    assert.equal(entry?.actor, mail.server.adminAddress);
    assert.equal(entry?.target, info);
    assert.deepEqual(entry?.after.messages.map((m: any) => [m.folder, m.uid, m.subject]), [['INBOX', 3, 'Price list']]);
    assert.deepEqual(parsed(await asAdmin('mailbox', 'recoverable', info, '--json')), []);
  });

  test('an Exchange Administrator restores through the API too; --json prints what was restored', async () => {
    assertStatus(await carol('DELETE', `${infoInbox}/2`), 204);
    const listed = await eve('GET', `/mailboxes/${encode(info)}/recoverable`);
    assertStatus(listed, 200);
    assert.deepEqual(listed.body.map((i: any) => [i.uid, i.subject, i.expungedBy]), [[2, 'Meeting notes', 'carol@contoso.com']]);
    const restored = parsed<any[]>(await cli('eve@contoso.com', 'Eve-password-1')('mailbox', 'recover', info, '--json'));
    assert.deepEqual(restored.map((r) => [r.folder, r.uid, r.subject, r.expungedBy]), [['INBOX', 4, 'Meeting notes', 'carol@contoso.com']]);
    assert.ok(Date.parse(restored[0].expungedAt) <= Date.now());
    assert.deepEqual(await subjects(bob), ['Price list', 'Meeting notes']);

    // A POST without a body restores everything (curl -X POST).
    assertStatus(await bob('DELETE', `${infoInbox}/4`), 204);
    const bare = await mail.admin('POST', `/mailboxes/${encode(info)}/recover`);
    assertStatus(bare, 200);
    assert.deepEqual(bare.body.map((r: any) => [r.uid, r.subject]), [[5, 'Meeting notes']]);
    assert.doesNotMatch(mail.server.output(), /purging expired recoverable items failed/, 'the purge at start ran cleanly');
  });
});
