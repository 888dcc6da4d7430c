import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { freePort, removeDataDir, startServer, type TestServer } from './harness.js';

function blobFiles(dataDir: string): string[] {
  const root = join(dataDir, 'blobs');
  try {
    return readdirSync(root, { recursive: true }).map(String).filter((f) => statSync(join(root, f)).isFile() && !f.endsWith('.tmp'));
  } catch {
    return [];
  }
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('removing a mailbox gives its stored messages back to the collector', () => {
  let server: TestServer | undefined;
  let dataDir = '';
  after(async () => {
    await server?.stop();
    if (dataDir) removeDataDir(dataDir);
  });

  it('a blob only the removed mailbox held is deleted; one another mailbox holds stays', { timeout: 90_000 }, async () => {
    const smtpPort = await freePort();
    server = await startServer({ env: { MAILROOM_SMTP_PORT: String(smtpPort) } });
    dataDir = server.dataDir;
    const users = ['leaver@contoso.com', 'stayer@contoso.com'];
    for (const address of users) {
      assert.equal((await server.api('POST', '/users', { address, displayName: address, password: 'Long-password-1' })).status, 201);
    }
    // Larger than the inline limit, so each message is a file named by its hash.
    const big = (tag: string) => `From: a@example.org\r\nSubject: ${tag}\r\n\r\n${'x'.repeat(300 * 1024)}\r\n`;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ envelope: { from: 'a@example.org', to: ['leaver@contoso.com'] }, raw: big('only-leaver') });
    await transport.sendMail({ envelope: { from: 'a@example.org', to: users }, raw: big('both') });
    transport.close();
    const inbox = (address: string) => server!.api('GET', `/mailboxes/${address}/folders/INBOX/messages`, undefined, { user: address, password: 'Long-password-1' });
    await waitFor(async () => (await inbox('leaver@contoso.com')).body.length === 2 && (await inbox('stayer@contoso.com')).body.length === 1, 'delivery');
    const both = (await inbox('stayer@contoso.com')).body[0].blobHash as string;
    const onlyLeaver = ((await inbox('leaver@contoso.com')).body as { blobHash: string }[]).find((m) => m.blobHash !== both)!.blobHash;
    assert.deepEqual(blobFiles(dataDir).map((f) => f.split('/').pop()).sort(), [both, onlyLeaver].sort());

    assert.equal((await server.api('DELETE', '/users/leaver@contoso.com')).status, 204);
    // The collector runs at start (and hourly): restart to run it now.
    await server.stop();
    server = await startServer({ dataDir, env: { MAILROOM_SMTP_PORT: String(smtpPort) } });
    await waitFor(async () => !blobFiles(dataDir).some((f) => f.endsWith(onlyLeaver)), 'the collector');
    assert.deepEqual(blobFiles(dataDir).map((f) => f.split('/').pop()), [both]);
    assert.equal((await inbox('stayer@contoso.com')).body[0].blobHash, both, 'the other mailbox still reads its message');
  });
});
