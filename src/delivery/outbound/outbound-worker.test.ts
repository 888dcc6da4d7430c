import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SmtpSink } from '../../../test/e2e/smtp-sink.js';
import { ensureOrganization } from '../../admin/bootstrap.js';
import { createLogger } from '../../core/logger.js';
import { BlobStore } from '../../store/blob/blob-store.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../store/sql/database.js';
import { ensureSecret } from '../../store/sql/meta.js';
import { insertOutbound } from '../job-writer.js';
import { srsForward } from '../srs.js';
import { OutboundWorker, type OutboundWorkerDeps } from './outbound-worker.js';
import { smarthostRoute, type RouteLookup } from './route.js';

const message = (subject: string) => Buffer.from(`From: alice@contoso.com\r\nTo: x@example.net\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@contoso.com>\r\n\r\nHello.\r\n.leading dot stays\r\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port nobody listens on. */
const closedPort = () => new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const address = server.address();
    server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
  });
});

describe('OutboundWorker against a local SMTP sink (SQLite)', () => {
  let dir: string;
  let database: OpenDatabase;
  let blobs: BlobStore;
  let sink: SmtpSink;
  let secret: string;
  let reports = 0;
  const workers: OutboundWorker[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-outbound-'));
    database = openDatabase({ dataDir: dir });
    await migrateToLatest(database);
    await ensureOrganization(database.db, 'contoso.com', 'Admin-pass-1');
    secret = await ensureSecret(database.db, 'srs_secret');
    blobs = new BlobStore(join(dir, 'blobs'));
    sink = await SmtpSink.start();
  });
  after(async () => {
    for (const w of workers) await w.stop();
    await sink.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    sink.answer = () => 250;
    sink.holdMs = 0;
    reports = 0;
    await database.db.deleteFrom('outbound_queue').execute();
    await database.db.deleteFrom('delivery_jobs').execute();
  });

  const db = () => database.db;

  /** Queues `raw` for the recipients the way the delivery pipeline does; returns the blob hash. */
  async function enqueue(raw: Buffer, items: { recipient: string; mailFrom: string }[], lifetimeMs = 3_600_000): Promise<string> {
    const staged = await blobs.stage(raw);
    await db().transaction().execute(async (tx) => {
      await blobs.reference(tx, staged, 1);
      await insertOutbound(tx, blobs, staged.hash, raw.length, items, lifetimeMs);
      await blobs.release(tx, staged.hash, 1);
    });
    return staged.hash;
  }

  const refcount = async (hash: string) => (await db().selectFrom('blobs').select('refcount').where('hash', '=', hash).executeTakeFirst())?.refcount;
  const queued = () => db().selectFrom('outbound_queue').selectAll().orderBy('created_at').execute();

  async function startWorker(overrides: Partial<OutboundWorkerDeps> = {}): Promise<OutboundWorker> {
    const worker = new OutboundWorker({
      db: db(), engine: 'sqlite', blobs, logger: createLogger('silent'), hostname: 'mx.contoso.com',
      route: smarthostRoute({ host: '127.0.0.1', port: sink.port }), srsSecret: secret,
      retry: { baseMs: 100, maxMs: 1000 }, onReports: () => { reports += 1; }, pollMs: 50, timeoutMs: 5000,
      ...overrides,
    });
    workers.push(worker);
    await worker.start();
    return worker;
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; sink attempts: ${JSON.stringify(sink.attempts.slice(-5))}`);
      await sleep(20);
    }
  }

  it('delivers the stored bytes unchanged over STARTTLS, then removes the row and releases the blob', async () => {
    const raw = message('Delivered');
    const hash = await enqueue(raw, [{ recipient: 'x@example.net', mailFrom: 'alice@contoso.com' }]);
    assert.equal(await refcount(hash), 1);
    await startWorker();
    const got = await sink.messageFor('x@example.net');
    assert.ok(got.raw.equals(raw), 'byte for byte, dot-stuffing undone by the receiver');
    assert.deepEqual([got.from, got.to, got.helo, got.secure], ['alice@contoso.com', ['x@example.net'], 'mx.contoso.com', true]);
    await until('the row to go', async () => (await queued()).length === 0);
    assert.equal(await refcount(hash), 0);
  });

  it('sends one transaction per recipient, with the null sender as MAIL FROM:<>', async () => {
    const hash = await enqueue(message('Report'), [{ recipient: 'a@example.net', mailFrom: '' }, { recipient: 'b@example.org', mailFrom: '' }]);
    assert.equal(await refcount(hash), 2);
    await startWorker();
    const [a, b] = [await sink.messageFor('a@example.net'), await sink.messageFor('b@example.org')];
    assert.deepEqual([a.from, a.to, b.from, b.to], ['', ['a@example.net'], '', ['b@example.org']]);
    await until('both rows to go', async () => (await queued()).length === 0);
    assert.equal(await refcount(hash), 0);
  });

  it('4xx defers with backoff and the reply as last error, then delivers', async () => {
    let calls = 0;
    sink.answer = () => (++calls === 1 ? 451 : 250);
    await enqueue(message('Deferred once'), [{ recipient: 'later@example.net', mailFrom: 'alice@contoso.com' }]);
    await startWorker({ retry: { baseMs: 400, maxMs: 1000 } });
    const deferred = await until('the deferral', async () => (await queued()).find((r) => r.attempts === 1));
    assert.match(deferred.last_error ?? '', /^451 /);
    assert.equal(deferred.locked_until, null);
    const waitMs = Date.parse(deferred.next_attempt_at) - sink.attemptsFor('later@example.net')[0]!.at;
    assert.ok(waitMs >= 250 && waitMs <= 600, `first retry ~400 ms ±25 % later, got ${waitMs}`);
    await sink.messageFor('later@example.net');
    await until('the row to go', async () => (await queued()).length === 0);
    assert.equal(sink.attemptsFor('later@example.net').length, 2);
    assert.equal(reports, 0);
  });

  it('5xx removes the row and queues an RFC 3464 report to the original sender behind our SRS address', async () => {
    sink.answer = () => 550;
    const srs = srsForward(secret, 'carol@fabrikam.example', 'contoso.com');
    const hash = await enqueue(message('Refused'), [{ recipient: 'nobody@example.net', mailFrom: srs }]);
    await startWorker();
    const job = await until('the report job', async () => db().selectFrom('delivery_jobs').selectAll().executeTakeFirst());
    assert.deepEqual([job.mail_from, JSON.parse(job.recipients_json), job.source], ['', ['carol@fabrikam.example'], 'system']);
    const report = (await blobs.read(db(), job.blob_hash)).toString('utf8');
    assert.match(report, /^Content-Type: multipart\/report; report-type=delivery-status;/m);
    assert.match(report, /^Final-Recipient: rfc822; nobody@example\.net\r\nAction: failed\r\nStatus: 5\.\d\.\d+\r\nRemote-MTA: dns; 127\.0\.0\.1\r\nDiagnostic-Code: smtp; 550 /m);
    assert.match(report, /^Subject: Undeliverable: Refused$/m);
    assert.equal((await queued()).length, 0);
    assert.equal(await refcount(hash), 0);
    assert.equal(reports, 1);
    assert.equal(sink.attemptsFor('nobody@example.net').length, 1, 'a permanent failure is not retried');
  });

  it('a refused report (null sender) is dropped without a report about the report', async () => {
    sink.answer = () => 550;
    const hash = await enqueue(message('Bounce of a bounce'), [{ recipient: 'gone@example.net', mailFrom: '' }]);
    await startWorker();
    await until('the row to go', async () => (await queued()).length === 0);
    assert.equal((await db().selectFrom('delivery_jobs').selectAll().execute()).length, 0);
    assert.equal(await refcount(hash), 0);
    assert.equal(reports, 0);
  });

  it('keeps deferring until the lifetime ends, tries once more at the end, then reports 4.4.7', async () => {
    sink.answer = () => 451;
    await enqueue(message('Never accepted'), [{ recipient: 'slow@example.net', mailFrom: 'alice@contoso.com' }], 700);
    await startWorker({ retry: { baseMs: 200, maxMs: 1000 } });
    const job = await until('the expiry report', async () => db().selectFrom('delivery_jobs').selectAll().executeTakeFirst());
    const report = (await blobs.read(db(), job.blob_hash)).toString('utf8');
    assert.match(report, /^Status: 4\.4\.7$/m);
    assert.match(report, /^Diagnostic-Code: smtp; 451 /m);
    assert.match(report, /We kept trying for 1 second, but the recipient's server didn't accept the message\./);
    assert.deepEqual(JSON.parse(job.recipients_json), ['alice@contoso.com']);
    assert.ok(sink.attemptsFor('slow@example.net').length >= 2);
  });

  it('moves on to the next host when one does not answer (RFC 5321 §5.1)', async () => {
    const dead = await closedPort();
    const route: RouteLookup = async () => ({ kind: 'hosts', hosts: [{ host: '127.0.0.1', port: dead }, { host: '127.0.0.1', port: sink.port }] });
    await enqueue(message('Second MX'), [{ recipient: 'one@example.net', mailFrom: 'alice@contoso.com' }, { recipient: 'two@example.net', mailFrom: 'alice@contoso.com' }]);
    await startWorker({ route });
    await sink.messageFor('one@example.net');
    await sink.messageFor('two@example.net');
    await until('the rows to go', async () => (await queued()).length === 0);
  });

  it('defers every row of a domain whose hosts are all down, with the connection error', async () => {
    const dead = await closedPort();
    await enqueue(message('Nobody home'), [{ recipient: 'down@example.net', mailFrom: 'alice@contoso.com' }]);
    await startWorker({ route: smarthostRoute({ host: '127.0.0.1', port: dead }), retry: { baseMs: 60_000, maxMs: 60_000 } });
    const row = await until('the deferral', async () => (await queued()).find((r) => r.attempts === 1));
    assert.match(row.last_error ?? '', /^Couldn't deliver to 127\.0\.0\.1: .*ECONNREFUSED/);
  });

  it('on SQLite, start() takes back rows leased by a process that died', async () => {
    await enqueue(message('Orphaned'), [{ recipient: 'orphan@example.net', mailFrom: 'alice@contoso.com' }]);
    await db().updateTable('outbound_queue').set({ locked_until: new Date(Date.now() + 3_600_000).toISOString() }).execute();
    await startWorker();
    await sink.messageFor('orphan@example.net');
  });

  it('stop() ends an attempt in flight and gives the row back untouched', async () => {
    sink.holdMs = 5000;
    await enqueue(message('Interrupted'), [{ recipient: 'held@example.net', mailFrom: 'alice@contoso.com' }]);
    const worker = await startWorker();
    await sink.waitFor('the DATA transaction', () => sink.attemptsFor('held@example.net').length > 0);
    const started = Date.now();
    await worker.stop();
    assert.ok(Date.now() - started < 2000, 'stop does not wait for the remote server');
    const [row] = await queued();
    assert.deepEqual([row?.attempts, row?.locked_until, row?.last_error], [0, null, null]);
  });
});
