import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { dkimVerify } from 'mailauth';
import { assertProblem, assertStatus, createUser, encode, messages, sleep, withPassword, type Api } from './api-helpers.js';
import { describeResult, lines, mailroom, parsed, refused, succeeded, type CliEnv } from './cli-helpers.js';
import { removeDataDir } from './harness.js';
import {
  assertStoredExactly, createMailUser, fetchRaw, patchSettings, plainMessage, refusedByNodemailer, sendWithNodemailer,
  startMailServer, type MailServer, type MessageSummary,
} from './mail-helpers.js';
import { SmtpSink } from './smtp-sink.js';

/** Issue 3, "Outbound": the real server relays through a local SMTP sink acting as smarthost. */

const srsSender = /^SRS0=[A-Za-z0-9]{6}=[A-Z2-7]{2}=contoso\.com=alice@contoso\.com$/;
const dkimHeader = /^DKIM-Signature:[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*/;

/** Forwarding to an outside address, with no copy kept (PATCH /mailboxes/{address}/settings). */
const forwardTo = (admin: Api, address: string, target: string) => patchSettings(admin, address, { forwarding: { enabled: true, address: target, keepCopy: false } });

/** A mailbox's Inbox; empty while nothing was ever delivered (folders are made at first delivery). */
async function inbox(reader: Api, address: string): Promise<MessageSummary[]> {
  const res = await reader('GET', `/mailboxes/${encode(address)}/folders/INBOX/messages?limit=1000`);
  if (res.status === 404) return [];
  assertStatus(res, 200);
  return res.body as MessageSummary[];
}

async function queue(admin: Api): Promise<any[]> {
  const res = await admin('GET', '/queue');
  assertStatus(res, 200);
  return res.body as any[];
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The DSN that arrived in a mailbox for `subject`, as raw text. */
async function reportIn(mail: MailServer, reader: Api, address: string, password: string, subject: string): Promise<string> {
  const list = await eventually(`the DSN in ${address}`, async () => {
    const found = await inbox(reader, address);
    return found.some((m) => m.subject === `Undeliverable: ${subject}`) && found;
  });
  const dsn = list.find((m) => m.subject === `Undeliverable: ${subject}`)!;
  const token = (await mail.server.api('POST', '/auth/token', { address, password }, null)).body.token as string;
  return (await fetchRaw(mail.server, token, address, dsn.uid)).toString('utf8');
}

describe('outbound: forwarding to the Internet through a smarthost', () => {
  let mail: MailServer;
  let sink: SmtpSink;
  let keyDir: string;
  let alice: Api;
  let bob: Api;
  let publicKeyRecord: string;
  let forwardedSender = '';

  before(async () => {
    sink = await SmtpSink.start();
    keyDir = mkdtempSync(join(tmpdir(), 'mailroom-dkim-'));
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(keyDir, 'dkim.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    publicKeyRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    mail = await startMailServer({
      env: {
        MAILROOM_SMARTHOST: `127.0.0.1:${sink.port}`,
        MAILROOM_QUEUE_RETRY_BASE: '1',
        MAILROOM_HOSTNAME: 'mx.contoso.com',
        MAILROOM_DKIM_SELECTOR: 'mail',
        MAILROOM_DKIM_KEY: join(keyDir, 'dkim.pem'),
      },
    });
    [alice, bob] = await Promise.all([createMailUser(mail, 'alice@contoso.com'), createMailUser(mail, 'bob@contoso.com')]);
    await Promise.all([createMailUser(mail, 'carol@contoso.com'), createMailUser(mail, 'dave@contoso.com')]);
    await forwardTo(mail.admin, 'bob@contoso.com', 'x@example.net');
    await forwardTo(mail.admin, 'carol@contoso.com', 'later@example.net');
    await forwardTo(mail.admin, 'dave@contoso.com', 'refused@example.net');
    let laterCalls = 0;
    sink.answer = ({ to }) => {
      if (to.includes('later@example.net')) return ++laterCalls === 1 ? 451 : 250;
      if (to.includes('refused@example.net')) return 550;
      return 250;
    };
  });
  after(async () => {
    await mail.server.stop();
    await sink.close();
    removeDataDir(mail.server.dataDir);
    rmSync(keyDir, { recursive: true, force: true });
  });

  test('the original bytes reach the smarthost with an SRS envelope sender and a DKIM signature that verifies', async () => {
    const raw = plainMessage({ from: 'Alice <alice@contoso.com>', to: 'bob@contoso.com', subject: 'Forward me', body: 'Line one\r\n.leading dot\r\n' });
    await sendWithNodemailer(mail.smtpPort, { from: 'alice@contoso.com', to: ['bob@contoso.com'] }, raw);
    const got = await sink.messageFor('x@example.net');
    assert.match(got.from, srsSender, 'SRS0 keeps the original sender recoverable and SPF aligned with us');
    forwardedSender = got.from;
    assert.deepEqual(got.to, ['x@example.net']);
    assert.equal(got.helo, 'mx.contoso.com');
    assert.equal(got.secure, true, 'STARTTLS was used because the sink offered it');

    // DKIM-Signature, then exactly what was stored at acceptance: our trace fields and the sent bytes.
    const signature = dkimHeader.exec(got.raw.toString('latin1'))?.[0];
    assert.ok(signature, 'a DKIM-Signature comes first');
    assert.match(signature, /\bd=contoso\.com;/);
    assertStoredExactly(got.raw.subarray(Buffer.byteLength(signature, 'latin1')), raw, 'bob@contoso.com');
    const resolver = async (name: string, type: string) => {
      if (type === 'TXT' && name.toLowerCase() === 'mail._domainkey.contoso.com') return [[publicKeyRecord]];
      throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
    };
    const verdict = await dkimVerify(got.raw, { resolver });
    assert.equal(verdict.results[0]?.status.result, 'pass', JSON.stringify(verdict.results));

    // Keep-a-copy is off: bob's mailbox holds nothing; the queue is empty once the sink said 250.
    assert.deepEqual(await inbox(bob, 'bob@contoso.com'), []);
    await eventually('an empty queue', async () => (await queue(mail.admin)).length === 0);
  });

  test('451 defers (the queue shows the reply), and the retry delivers', async () => {
    await sendWithNodemailer(mail.smtpPort, { from: 'alice@contoso.com', to: ['carol@contoso.com'] }, plainMessage({ from: 'alice@contoso.com', to: 'carol@contoso.com', subject: 'Try again' }));
    const deferred = await eventually('the deferral in the queue', async () => (await queue(mail.admin)).find((i) => i.recipient === 'later@example.net' && i.attempts === 1));
    assert.match(deferred.lastError, /^451 /);
    assert.match(deferred.mailFrom, srsSender);
    const got = await sink.messageFor('later@example.net');
    assert.match(got.raw.toString('latin1'), /^Subject: Try again\r$/m);
    assert.deepEqual(sink.attemptsFor('later@example.net').map((a) => a.answer), [451, 250]);
    await eventually('an empty queue', async () => (await queue(mail.admin)).length === 0);
  });

  test('550 sends an RFC 3464 report to the original sender, back through the SRS address', async () => {
    const before = (await inbox(alice, 'alice@contoso.com')).length;
    await sendWithNodemailer(mail.smtpPort, { from: 'alice@contoso.com', to: ['dave@contoso.com'] }, plainMessage({ from: 'alice@contoso.com', to: 'dave@contoso.com', subject: 'Refuse me' }));
    const report = await reportIn(mail, alice, 'alice@contoso.com', 'Pw-alice@contoso.com-1', 'Refuse me');
    assert.match(report, /^From: Mail Delivery System <MAILER-DAEMON@mx\.contoso\.com>\r$/m);
    assert.match(report, /^To: <alice@contoso\.com>\r$/m);
    assert.match(report, /^Content-Type: multipart\/report; report-type=delivery-status;/m);
    assert.match(report, /^Final-Recipient: rfc822; refused@example\.net\r\nAction: failed\r\nStatus: 5\.\d+\.\d+\r\nRemote-MTA: dns; 127\.0\.0\.1\r\nDiagnostic-Code: smtp; 550 /m);
    assert.equal(sink.attemptsFor('refused@example.net').length, 1, 'a permanent refusal is not retried');
    assert.equal((await inbox(alice, 'alice@contoso.com')).length, before + 1);
    assert.equal((await queue(mail.admin)).length, 0);
  });

  test('the MX takes bounces to our SRS address for the original sender, and refuses forged ones (5.1.1)', async () => {
    assert.ok(forwardedSender, 'the first test captured an SRS address');
    const before = (await inbox(alice, 'alice@contoso.com')).length;
    const bounce = plainMessage({ from: 'MAILER-DAEMON@example.net', to: forwardedSender, subject: 'Returned mail' });
    await sendWithNodemailer(mail.smtpPort, { from: '', to: [forwardedSender] }, bounce);
    const messages = await eventually('the bounce in the Inbox', async () => { const list = await inbox(alice, 'alice@contoso.com'); return list.length > before && list; });
    assert.equal(messages.at(-1)?.subject, 'Returned mail');
    const forged = forwardedSender.replace(/^SRS0=[^=]+/, 'SRS0=AAAAAA');
    const refusal = await refusedByNodemailer(mail.smtpPort, { from: '', to: [forged] }, bounce);
    assert.equal(refusal.responseCode, 550);
    assert.match(refusal.response, /^550 5\.1\.1 /);
  });

  test("an outside sender's forwarded mail: bounces and our own report go back to them with the null sender", async () => {
    const outsider = 'erin@fabrikam.example';
    await sendWithNodemailer(mail.smtpPort, { from: outsider, to: ['bob@contoso.com'] }, plainMessage({ from: outsider, to: 'bob@contoso.com', subject: 'From outside' }));
    const forwarded = await sink.waitFor('the forwarded message', () => sink.messages.find((m) => m.raw.includes('Subject: From outside')));
    assert.match(forwarded.from, /^SRS0=[A-Za-z0-9]{6}=[A-Z2-7]{2}=fabrikam\.example=erin@contoso\.com$/);
    assert.ok(!/^DKIM-Signature:/.test(forwarded.raw.toString('latin1')), 'mail whose From is not ours is not signed without MAILROOM_DKIM_DOMAIN');

    // A remote bounce to the SRS address is relayed to the original sender (RFC 5321 §4.5.5: null sender).
    await sendWithNodemailer(mail.smtpPort, { from: '', to: [forwarded.from] }, plainMessage({ from: 'MAILER-DAEMON@example.net', to: forwarded.from, subject: 'Remote bounce' }));
    const relayed = await sink.waitFor('the relayed bounce', () => sink.messages.find((m) => m.to.includes(outsider) && m.raw.includes('Subject: Remote bounce')));
    assert.equal(relayed.from, '');

    // Our own report for a refused forward goes the same way.
    await sendWithNodemailer(mail.smtpPort, { from: outsider, to: ['dave@contoso.com'] }, plainMessage({ from: outsider, to: 'dave@contoso.com', subject: 'Refused for an outsider' }));
    const report = await sink.waitFor('our report', () => sink.messages.find((m) => m.to.includes(outsider) && m.raw.includes('Subject: Undeliverable: Refused for an outsider')));
    assert.equal(report.from, '');
    assert.match(report.raw.toString('latin1'), /^Final-Recipient: rfc822; refused@example\.net\r$/m);
  });
});

describe('outbound: the queue, administered over the API and the CLI', () => {
  let mail: MailServer;
  let sink: SmtpSink;
  let cli: (...args: string[]) => ReturnType<typeof mailroom>;
  let cliEnv: CliEnv;

  before(async () => {
    sink = await SmtpSink.start();
    sink.answer = () => 451;
    // A long retry base: entries stay put until someone retries them.
    mail = await startMailServer({ env: { MAILROOM_SMARTHOST: `127.0.0.1:${sink.port}`, MAILROOM_QUEUE_RETRY_BASE: '3600' } });
    await createMailUser(mail, 'alice@contoso.com');
    await createMailUser(mail, 'bob@contoso.com');
    await createUser(mail.admin, 'eve@contoso.com', 'Eve', 'Eve-password-1', ['exchange-admin']);
    await forwardTo(mail.admin, 'bob@contoso.com', 'held@example.net');
    for (const subject of ['Q1', 'Q2', 'Q3']) {
      await sendWithNodemailer(mail.smtpPort, { from: 'alice@contoso.com', to: ['bob@contoso.com'] }, plainMessage({ from: 'alice@contoso.com', to: 'bob@contoso.com', subject }));
    }
    await eventually('three deferred entries', async () => (await queue(mail.admin)).filter((i) => i.attempts === 1).length === 3);
    cliEnv = { MAILROOM_URL: mail.server.url, MAILROOM_USER: mail.server.adminAddress, MAILROOM_PASSWORD: mail.server.adminPassword };
    cli = (...args) => mailroom(args, cliEnv);
  });
  after(async () => {
    await mail.server.stop();
    await sink.close();
    removeDataDir(mail.server.dataDir);
  });

  test('GET /queue lists each remote recipient with attempts, next try and last error; only a Global Administrator may', async () => {
    const items = await queue(mail.admin);
    assert.equal(items.length, 3);
    for (const item of items) {
      assert.deepEqual(Object.keys(item).sort(), ['attempts', 'expiresAt', 'id', 'inFlight', 'lastError', 'mailFrom', 'nextAttemptAt', 'queuedAt', 'recipient', 'size']);
      assert.equal(item.recipient, 'held@example.net');
      assert.match(item.mailFrom, srsSender);
      assert.match(item.lastError, /^451 /);
      assert.equal(item.inFlight, false);
      assert.ok(Date.parse(item.nextAttemptAt) > Date.now() + 30 * 60_000, 'the next try is about an hour away');
      assert.ok(Date.parse(item.expiresAt) - Date.parse(item.queuedAt) === 2 * 24 * 3600 * 1000, 'the default lifetime is two days');
    }
    const eve = withPassword(mail.server, 'eve@contoso.com', 'Eve-password-1');
    assertProblem(await eve('GET', '/queue'), { status: 403, type: 'forbidden', detail: messages.permissionDenied });
    assertProblem(await eve('POST', `/queue/${items[0].id}/retry`), { status: 403, type: 'forbidden', detail: messages.permissionDenied });
    assertProblem(await eve('DELETE', `/queue/${items[0].id}`), { status: 403, type: 'forbidden', detail: messages.permissionDenied });
    assert.equal((await mail.server.api('GET', '/queue', undefined, null)).status, 401);
  });

  test('POST /queue/{id}/retry tries at once and is audited', async () => {
    const [first] = await queue(mail.admin);
    sink.answer = () => 250;
    const res = await mail.admin('POST', `/queue/${first.id}/retry`);
    assertStatus(res, 200);
    assert.equal(res.body.id, first.id);
    assert.ok(Date.parse(res.body.nextAttemptAt) <= Date.now());
    await sink.waitFor('the retried message', () => sink.messages.length === 1);
    await eventually('the entry to go', async () => !(await queue(mail.admin)).some((i) => i.id === first.id));
    assert.equal((await queue(mail.admin)).length, 2, 'only the retried entry went');
    sink.answer = () => 451;
    const audit = await mail.admin('GET', '/audit?action=queue.');
    assert.deepEqual(audit.body.map((e: any) => [e.action, e.target, e.actor]), [['queue.retry', 'held@example.net', 'admin@contoso.com']]);
  });

  test('DELETE /queue/{id} removes an entry and releases its hold on the stored message', async () => {
    const [entry] = await queue(mail.admin);
    const sqlite = new BetterSqlite3(join(mail.server.dataDir, 'mailroom.sqlite'), { readonly: true });
    try {
      const refcount = () => (sqlite.prepare('SELECT b.refcount AS n FROM blobs b WHERE b.hash = ?').get(blobHash) as { n: number }).n;
      const blobHash = (sqlite.prepare('SELECT blob_hash FROM outbound_queue WHERE id = ?').get(entry.id) as { blob_hash: string }).blob_hash;
      assert.equal(refcount(), 1);
      assertStatus(await mail.admin('DELETE', `/queue/${entry.id}`), 204);
      assert.equal(refcount(), 0, 'nothing holds the message any more: the collector may take it');
    } finally {
      sqlite.close();
    }
    assert.ok(!(await queue(mail.admin)).some((i) => i.id === entry.id));
    const detail = `The queued message "${entry.id}" wasn't found. It may have been delivered or removed.`;
    assertProblem(await mail.admin('DELETE', `/queue/${entry.id}`), { status: 404, type: 'not-found', detail });
    assertProblem(await mail.admin('POST', `/queue/${entry.id}/retry`), { status: 404, type: 'not-found', detail });
    const audit = await mail.admin('GET', '/audit?action=queue.remove');
    assert.equal(audit.body[0].before.id, entry.id);
  });

  test('mailroom queue list|retry|remove, for people and with --json', async () => {
    const table = lines(succeeded(await cli('queue', 'list')));
    assert.match(table[0]!, /^Id\s+From\s+To\s+Size\s+Attempts\s+Next attempt\s+Last error$/);
    assert.equal(table.length, 2, table.join('\n'));
    const [item] = parsed<any[]>(await cli('queue', 'list', '--json'));
    assert.match(table[1]!, new RegExp(`^${item.id}\\s+SRS0=\\S+\\s+held@example\\.net\\s+\\S+.*\\s+1\\s+\\S+\\s+451 `));

    const retried = succeeded(await cli('queue', 'retry', item.id));
    assert.match(retried, new RegExp(`^Id:\\s+${item.id}$`, 'm'));
    assert.match(retried, /^To:\s+held@example\.net$/m);
    await eventually('the second attempt', async () => (await queue(mail.admin))[0]?.attempts === 2);

    const json = parsed(await cli('queue', 'remove', item.id, '--json'));
    assert.deepEqual(json, { removed: item.id });
    assert.equal(succeeded(await cli('queue', 'list')), 'The queue is empty.\n');
    refused(await cli('queue', 'remove', item.id), `The queued message "${item.id}" wasn't found. It may have been delivered or removed.`);
    refused(await mailroom(['queue', 'list'], { ...cliEnv, MAILROOM_USER: 'eve@contoso.com', MAILROOM_PASSWORD: 'Eve-password-1' }), messages.permissionDenied);
    const help = succeeded(await mailroom(['queue', '--help'], {}));
    for (const verb of ['list', 'retry', 'remove']) assert.match(help, new RegExp(`^  ${verb}\\b.*\\S`, 'm'), describeResult({ code: 0, stdout: help, stderr: '' }));
  });
});

describe('outbound: a message that outlives the queue lifetime', () => {
  let mail: MailServer;
  let sink: SmtpSink;
  let alice: Api;

  before(async () => {
    sink = await SmtpSink.start();
    sink.answer = () => 451;
    mail = await startMailServer({ env: { MAILROOM_SMARTHOST: `127.0.0.1:${sink.port}`, MAILROOM_QUEUE_RETRY_BASE: '1', MAILROOM_QUEUE_LIFETIME: '3' } });
    alice = await createMailUser(mail, 'alice@contoso.com');
    await createMailUser(mail, 'bob@contoso.com');
    await forwardTo(mail.admin, 'bob@contoso.com', 'slow@example.net');
  });
  after(async () => {
    await mail.server.stop();
    await sink.close();
    removeDataDir(mail.server.dataDir);
  });

  test('is reported to its sender as expired (4.4.7) with the last reply, after retries', async () => {
    await sendWithNodemailer(mail.smtpPort, { from: 'alice@contoso.com', to: ['bob@contoso.com'] }, plainMessage({ from: 'alice@contoso.com', to: 'bob@contoso.com', subject: 'Too slow' }));
    const report = await reportIn(mail, alice, 'alice@contoso.com', 'Pw-alice@contoso.com-1', 'Too slow');
    assert.match(report, /^Final-Recipient: rfc822; slow@example\.net\r\nAction: failed\r\nStatus: 4\.4\.7\r\n/m);
    assert.match(report, /^Diagnostic-Code: smtp; 451 /m);
    assert.match(report, /We kept trying for 3 seconds, but the recipient's server didn't accept the message\./);
    assert.ok(sink.attemptsFor('slow@example.net').length >= 2, 'it was retried before it expired');
    assert.deepEqual(await queue(mail.admin), []);
  });
});
