import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { freePort, removeDataDir, startServer, type TestServer } from './harness.js';

/**
 * Issue 3: "kill -9 the server while 1,000 messages are being sent; after restart, every
 * message that got 250 is in its mailbox exactly once." Eight senders, one connection per
 * message (as an MX sees them); the server is killed mid-stream, without warning.
 */
describe('crash safety: kill -9 during inbound mail', () => {
  const total = 1000;
  const killAfterAcks = 300;
  let server: TestServer | undefined;
  let dataDir = '';

  after(async () => {
    await server?.stop();
    if (dataDir) removeDataDir(dataDir);
  });

  it('every message acknowledged with 250 is delivered exactly once after a restart', { timeout: 180_000 }, async () => {
    const smtpPort = await freePort();
    server = await startServer({ env: { MAILROOM_SMTP_PORT: String(smtpPort) } });
    dataDir = server.dataDir;
    const user = { user: 'crash@contoso.com', password: 'Crash-password-1' };
    assert.equal((await server.api('POST', '/users', { address: user.user, displayName: 'Crash', password: user.password })).status, 201);

    const acknowledged = new Set<number>();
    let next = 0;
    let killed = false;
    const victim = server;
    const sendOne = async (n: number): Promise<void> => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: false, connectionTimeout: 5000, socketTimeout: 5000 });
      try {
        const info = await transport.sendMail({
          envelope: { from: 'sender@example.org', to: [user.user] },
          raw: `From: sender@example.org\r\nTo: ${user.user}\r\nSubject: crash-${n}\r\nMessage-ID: <crash-${n}@example.org>\r\n\r\nmessage ${n}\r\n`,
        });
        if (/^250/.test(info.response)) acknowledged.add(n);
      } catch {
        // Refused or cut off by the kill: not acknowledged, so the server owes nothing.
      } finally {
        transport.close();
      }
      if (!killed && acknowledged.size >= killAfterAcks) {
        killed = true;
        victim.process.kill('SIGKILL');
      }
    };
    const sender = async () => {
      while (next < total) await sendOne(next++);
    };
    await Promise.all(Array.from({ length: 8 }, sender));
    assert.ok(killed, 'the server was killed while mail was flowing');
    assert.ok(acknowledged.size >= killAfterAcks && acknowledged.size < total, `acknowledged ${acknowledged.size} of ${total}`);

    // Restart on the same data; pending jobs are finished first.
    server = await startServer({ dataDir, env: { MAILROOM_SMTP_PORT: String(smtpPort) } });
    const seen = new Map<number, number>();
    const deadline = Date.now() + 60_000;
    for (;;) {
      seen.clear();
      for (let offset = 0; ; offset += 1000) {
        const page: { status: number; body: unknown } = await server.api('GET', `/mailboxes/${user.user}/folders/INBOX/messages?limit=1000&offset=${offset}`, undefined, user);
        assert.equal(page.status, 200);
        for (const m of page.body as { subject: string }[]) {
          const n = Number(/^crash-(\d+)$/.exec(m.subject)?.[1]);
          seen.set(n, (seen.get(n) ?? 0) + 1);
        }
        if ((page.body as unknown[]).length < 1000) break;
      }
      if ([...acknowledged].every((n) => seen.has(n)) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const missing = [...acknowledged].filter((n) => !seen.has(n));
    const duplicated = [...seen].filter(([, count]) => count > 1).map(([n]) => n);
    assert.deepEqual(missing, [], 'no acknowledged message is lost');
    assert.deepEqual(duplicated, [], 'no message is delivered twice');
  });
});
