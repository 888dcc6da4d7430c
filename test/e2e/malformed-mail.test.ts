import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeDataDir } from './harness.js';
import {
  assertNothingDelivered, assertStoredExactly, createMailUser, deliverWithSmtplib, fetchRaw, plainMessage, rawSmtpSession, sendWithNodemailer,
  snapshot, startMailServer, waitForMessages, watch, type MailServer, type MailUser,
} from './mail-helpers.js';

/**
 * Issue 3, "Tests": malformed mail is stored byte-exact (after the trace header fields this
 * server puts in front) or refused with a clear code, and the server keeps serving.
 */

const from = 'sender@fabrikam.example';
const crlf = Buffer.from('\r\n');
const bytes = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));

describe('malformed mail', () => {
  let mail: MailServer;
  let rob: MailUser;
  let victim: MailUser;
  let delivered = 0;

  /** Sends with smtplib (which passes bytes through as they are), expects 250, and returns what was stored. */
  const viaSmtplib = async (data: Buffer): Promise<Buffer> => {
    await deliverWithSmtplib(mail.smtpPort, { from, to: ['rob@contoso.com'], data });
    return stored();
  };
  const viaNodemailer = async (data: Buffer): Promise<Buffer> => {
    await sendWithNodemailer(mail.smtpPort, { from, to: ['rob@contoso.com'] }, data);
    return stored();
  };
  const stored = async (): Promise<Buffer> => {
    delivered += 1;
    const inbox = await waitForMessages(rob, 'rob@contoso.com', delivered, { timeoutMs: 15_000 });
    assert.equal(inbox.length, delivered, 'one message per transaction');
    return fetchRaw(mail.server, rob.token, 'rob@contoso.com', inbox.at(-1)!.uid);
  };
  const lastSummary = async () => (await waitForMessages(rob, 'rob@contoso.com', delivered)).at(-1)!;

  before(async () => {
    mail = await startMailServer();
    [rob, victim] = await Promise.all([createMailUser(mail, 'rob@contoso.com'), createMailUser(mail, 'victim@contoso.com')]);
  });
  after(async () => {
    await mail.server.stop();
    removeDataDir(mail.server.dataDir);
  });

  test('bare LF line endings are stored as sent', async () => {
    const message = Buffer.from('From: sender@fabrikam.example\nTo: rob@contoso.com\nSubject: Bare LF\n\nFirst line\n.A line with a leading dot\nLast line\n');
    // smtplib ends the last line with CRLF before the terminating dot (RFC 5321 §4.1.1.4); that CRLF is part of the message.
    assertStoredExactly(await viaSmtplib(message), bytes(message, crlf), 'rob@contoso.com');
    assert.equal((await lastSummary()).subject, 'Bare LF');
  });

  test('8-bit header fields (UTF-8 and Latin-1) are stored as sent', async () => {
    const message = bytes(
      'From: Jürgen Groß <sender@fabrikam.example>\r\nTo: rob@contoso.com\r\nSubject: Grüße aus Köln — 日本語\r\n',
      'X-Latin-1: caf', Buffer.from([0xe9]), ' cr', Buffer.from([0xe8]), 'me\r\n',
      'Content-Type: text/plain; charset=utf-8\r\n\r\nBody: naïve café.\r\n',
    );
    assertStoredExactly(await viaSmtplib(message), message, 'rob@contoso.com');
    assert.equal((await lastSummary()).subject, 'Grüße aus Köln — 日本語');
  });

  test('a message with no header fields at all is stored as sent', async () => {
    // Without a From field there is no author domain, so DMARC does not apply (RFC 7489 §6.6.1) and is not recorded.
    const emptyHeader = Buffer.from('\r\nA body after an empty header section.\r\n');
    assertStoredExactly(await viaNodemailer(emptyHeader), emptyHeader, 'rob@contoso.com', ['spf', 'dkim']);
    const noHeaderLine = Buffer.from('Just some text, not a header field\r\nand a second line.\r\n');
    assertStoredExactly(await viaSmtplib(noHeaderLine), noHeaderLine, 'rob@contoso.com', ['spf', 'dkim']);
    assert.equal((await lastSummary()).subject, '');
  });

  test('a 1 MB header line is stored as sent', async () => {
    const message = bytes('From: sender@fabrikam.example\r\nTo: rob@contoso.com\r\nSubject: Long header line\r\nX-Long: ', 'a'.repeat(1024 * 1024), '\r\n\r\nShort body.\r\n');
    assertStoredExactly(await viaSmtplib(message), message, 'rob@contoso.com');
    assert.equal((await lastSummary()).subject, 'Long header line');
  });

  test('NUL bytes in the header and the body are stored as sent', async () => {
    const message = bytes('From: sender@fabrikam.example\r\nTo: rob@contoso.com\r\nSubject: NUL\r\nX-Nul: a', Buffer.from([0]), 'b\r\n\r\nbefore', Buffer.from([0, 0]), 'after\r\n');
    assertStoredExactly(await viaSmtplib(message), message, 'rob@contoso.com');
    assert.equal((await lastSummary()).subject, 'NUL');
  });

  test('broken MIME boundaries are stored as sent', async () => {
    const head = (subject: string, contentType: string) => `From: ${from}\r\nTo: rob@contoso.com\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n\r\n`;
    const cases = [
      // The boundary never appears.
      head('Boundary never used', 'multipart/mixed; boundary="never"') + 'Text without any part.\r\n',
      // Opened, never closed.
      head('Never closed', 'multipart/mixed; boundary="b1"') + '--b1\r\nContent-Type: text/plain\r\n\r\nPart one\r\n--b1\r\nContent-Type: text/html\r\n\r\n<p>Part two',
      // No boundary parameter at all.
      head('No boundary', 'multipart/alternative') + '--x\r\nContent-Type: text/plain\r\n\r\nHello\r\n--x--\r\n',
      // An inner boundary that is a prefix of the outer one, and a part that claims to be a message.
      head('Nested prefix', 'multipart/mixed; boundary="outer"') + '--outer\r\nContent-Type: multipart/alternative; boundary="out"\r\n\r\n--out\r\nContent-Type: text/plain\r\n\r\nInner\r\n--outer\r\nContent-Type: message/rfc822\r\n\r\nnot a message\r\n--outer--\r\n--out--\r\n',
    ];
    for (const text of cases) {
      const message = Buffer.from(text.endsWith('\r\n') ? text : `${text}\r\n`);
      assertStoredExactly(await viaNodemailer(message), message, 'rob@contoso.com');
    }
    assert.equal((await lastSummary()).subject, 'Nested prefix');
  });

  test('a dot after a bare LF does not end the data (no SMTP smuggling); the bytes are stored as sent', async () => {
    const before = await snapshot([watch(victim)]);
    // A raw socket: smtplib and nodemailer would dot-stuff these lines, so the server would never see them.
    const smuggled = 'MAIL FROM:<evil@fabrikam.example>\r\nRCPT TO:<victim@contoso.com>\r\nDATA\r\nSubject: Smuggled\r\n\r\nsmuggled\r\n';
    // Each fake end of data ("\n.\n", "\r\n.\n", "\n.\r\n") is followed by commands; only "\r\n.\r\n" ends DATA (RFC 5321 §4.1.1.4).
    const fakeEnds = ['\n.\n', '\r\n.\n', '\n.\r\n'].map((end) => `Text${end}${smuggled}`).join('');
    const message = Buffer.from(`From: ${from}\r\nTo: rob@contoso.com\r\nSubject: Smuggling attempt\r\n\r\n${fakeEnds}`);
    assert.ok(!message.includes('\r\n.\r\n'));
    const replies = await rawSmtpSession(mail.smtpPort, { from, to: ['rob@contoso.com'] }, Buffer.concat([message, Buffer.from('.\r\n')]));
    assert.deepEqual(replies.filter((r) => /^\d{3} /.test(r)).map((r) => r.slice(0, 3)), ['220', '250', '250', '250', '354', '250', '221'], replies.join('\n'));
    assertStoredExactly(await stored(), message, 'rob@contoso.com');
    await assertNothingDelivered(mail, [watch(victim)], before, watch(rob));
    delivered += 1;
  });

  test('after all of it the server still serves: a normal message is delivered', async () => {
    const health = await fetch(`${mail.server.url}/healthz`);
    assert.equal(health.status, 200);
    const message = plainMessage({ from, to: 'rob@contoso.com', subject: 'Business as usual' });
    assertStoredExactly(await viaNodemailer(message), message, 'rob@contoso.com');
    assert.equal(mail.server.process.exitCode, null, 'the server is still running');
  });
});
