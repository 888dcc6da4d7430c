import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import nodemailer from 'nodemailer';
import type { SMTPServer } from 'smtp-server';
import { ensureOrganization } from '../../admin/bootstrap.js';
import { addUser } from '../../admin/users.js';
import { createLogger } from '../../core/logger.js';
import { AcceptQueue } from '../../delivery/accept-queue.js';
import { authenticate } from '../../directory/accounts.js';
import { CredentialCache } from '../../directory/credential-cache.js';
import { BlobStore } from '../../store/blob/blob-store.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../store/sql/database.js';
import { createSelfSigned } from '../tls/certificate.js';
import { listenSmtp } from './listen.js';
import { createSubmissionServer } from './submission-server.js';

/** An address of this machine that is not loopback: connecting to it from here is "another machine" to the server. */
const outsideAddress = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;

/** One SMTP exchange over a bare socket: each command gets its complete reply (multi-line joined by "|"). */
async function converse(host: string, port: number, commands: string[]): Promise<string[]> {
  const socket: Socket = connect({ host, port, localAddress: host });
  const lines: string[] = [];
  let buffered = '';
  let waiting: ((reply: string) => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    let end: number;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      lines.push(line);
      if (/^\d{3} /.test(line)) {
        const reply = lines.splice(0).join('|');
        waiting?.(reply);
      }
    }
  });
  const next = () => new Promise<string>((resolve) => { waiting = resolve; });
  const replies = [await next()];
  for (const command of commands) {
    const reply = next();
    socket.write(`${command}\r\n`);
    replies.push(await reply);
  }
  socket.destroy();
  return replies;
}

describe('submission server from another machine', { skip: outsideAddress ? false : 'this machine has no non-loopback IPv4 address to connect from' }, () => {
  const host = outsideAddress!;
  let dataDir: string;
  let opened: OpenDatabase;
  let server: SMTPServer;
  let port: number;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-submission-'));
    opened = openDatabase({ dataDir });
    await migrateToLatest(opened);
    await ensureOrganization(opened.db, 'contoso.com', 'Admin-password-1');
    const admin = { db: opened.db, actor: await authenticate(opened.db, 'admin@contoso.com', 'Admin-password-1') };
    await addUser(admin, { address: 'alice@contoso.com', displayName: 'Alice Wilber', password: 'Alice-password-1' });
    const blobs = new BlobStore(join(dataDir, 'blobs'));
    server = createSubmissionServer({
      db: opened.db,
      accept: new AcceptQueue(opened.db, blobs, () => {}, () => opened.durable()),
      credentials: new CredentialCache(opened.db),
      logger: createLogger('silent'),
      hostname: 'mail.contoso.com',
      maxMessageBytes: 1024 * 1024,
      tls: await createSelfSigned('mail.contoso.com'),
    });
    port = await listenSmtp(server, host, 0);
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('AUTH in clear is refused at the AUTH command with 538 5.7.11, before any credential is asked for', async () => {
    const plain = Buffer.from('\0alice@contoso.com\0Alice-password-1').toString('base64');
    const replies = await converse(host, port, ['EHLO client.test', 'AUTH LOGIN', `AUTH PLAIN ${plain}`, 'MAIL FROM:<alice@contoso.com>', 'QUIT']);
    assert.match(replies[1]!, /\|250-STARTTLS\|/);
    assert.deepEqual(replies.slice(2, 5), [
      '538 5.7.11 Encryption required for requested authentication mechanism',
      '538 5.7.11 Encryption required for requested authentication mechanism',
      '530 5.7.0 Authentication required',
    ]);
  });

  test('nodemailer without TLS is refused the same way; with STARTTLS it signs in', async () => {
    const transport = (ignoreTLS: boolean) => nodemailer.createTransport({
      host, port, secure: false, ignoreTLS, name: 'client.test', auth: { user: 'alice@contoso.com', pass: 'Alice-password-1' }, tls: { rejectUnauthorized: false },
    });
    const clear = transport(true);
    const err = await clear.verify().then(() => assert.fail('signed in without TLS'), (e: { responseCode: number; response: string }) => e);
    assert.deepEqual([err.responseCode, err.response], [538, '538 5.7.11 Encryption required for requested authentication mechanism']);
    clear.close();
    const secure = transport(false);
    assert.equal(await secure.verify(), true);
    secure.close();
  });
});
