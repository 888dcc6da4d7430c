/**
 * `npm run bench -- imap [--count 100000] [--sessions 8] [--idlers 1000] [--seconds 5]`
 *
 * The IMAP figures of issue 4 on a real connection: a shared folder of `count` messages written
 * straight through the store (MessageBatch + BlobStore, as delivery writes them), then timed
 * commands over a bare socket, a mixed load of several sessions on that folder, and `idlers`
 * sessions in IDLE on one shared folder while a message arrives by SMTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexMessage } from '../src/delivery/index-message.js';
import { BlobStore, type StagedBlob } from '../src/store/blob/blob-store.js';
import { inboxOf } from '../src/store/mail/folders.js';
import { MessageBatch } from '../src/store/mail/message-batch.js';
import { openDatabase } from '../src/store/sql/database.js';
import { RawImap } from '../test/e2e/imap-raw-client.js';
import { freePort } from '../test/e2e/harness.js';
import { sendOne } from './smtp-load.js';

export interface BenchServer {
  readonly dataDir: string;
  readonly smtp: number;
  readonly pid: number;
  api(method: string, path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

type Start = (env: Record<string, string>) => Promise<BenchServer>;

const member = { address: 'member@bench.test', password: 'member-password-1' };
const WORDS = ['invoice', 'meeting', 'schedule', 'project', 'budget', 'review', 'design', 'release', 'customer', 'support'];

/** A small message; every 1,000th has "zebra" in its subject, every 500th "quokka" in its body. */
function messageNumber(i: number): Buffer {
  const subject = `${WORDS[i % 10]} ${WORDS[(i * 7) % 10]} ${i}${i % 1000 === 0 ? ' zebra' : ''}`;
  const body = `Message ${i} about ${WORDS[(i * 3) % 10]}.\r\n${i % 500 === 0 ? 'A quokka was seen.\r\n' : ''}`;
  const date = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString().replace('GMT', '+0000');
  return Buffer.from(`From: Sender ${i % 97} <sender${i % 97}@example.org>\r\nTo: team@bench.test\r\nSubject: ${subject}\r\n`
    + `Message-ID: <m${i}@example.org>\r\nDate: ${date}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`);
}

async function populate(dataDir: string, mailboxAddress: string, count: number): Promise<void> {
  const database = openDatabase({ dataDir });
  const blobs = new BlobStore(join(dataDir, 'blobs'));
  try {
    const { recipient_id: mailboxId } = await database.db.selectFrom('addresses').select('recipient_id')
      .where('address_key', '=', mailboxAddress).executeTakeFirstOrThrow();
    const folder = await inboxOf(database.db, mailboxId);
    // The IDLE scenario's folder exists before anyone selects it.
    const alerts = await database.db.selectFrom('addresses').select('recipient_id').where('address_key', '=', 'alerts@bench.test').executeTakeFirstOrThrow();
    await inboxOf(database.db, alerts.recipient_id);
    for (let start = 0; start < count; start += 1000) {
      const batch = new MessageBatch();
      const staged: StagedBlob[] = [];
      for (let i = start; i < Math.min(count, start + 1000); i++) {
        const raw = messageNumber(i);
        const blob = await blobs.stage(raw);
        staged.push(blob);
        batch.add({ folderId: folder.id, mailboxId: folder.mailbox_id, blob, indexed: indexMessage(raw), flags: i % 3 === 0 ? ['\\Seen'] : [], internalDate: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() });
      }
      await database.db.transaction().execute(async (tx) => {
        await blobs.referenceAll(tx, staged);
        await batch.write(tx, database.engine);
      });
    }
    await database.durable();
  } finally {
    await database.close();
  }
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await run();
  return [performance.now() - started, value];
}

/** Runs a command and fails loudly on anything but OK. */
/**
 * A command's time from sending it to the last byte of its tagged OK, on a socket that only looks
 * for the tag: what the server takes, without a client's line parsing.
 */
async function wireTime(port: number, member: { address: string; password: string }, box: string, command: string): Promise<number> {
  const { connect } = await import('node:net');
  const socket = connect(port, '127.0.0.1');
  let seen = '';
  const waitFor = (marker: string): Promise<void> => new Promise((resolve) => {
    const check = (chunk: Buffer): void => {
      seen = (seen + chunk.toString('latin1')).slice(-4096);
      if (seen.includes(marker)) { socket.off('data', check); seen = ''; resolve(); }
    };
    socket.on('data', check);
  });
  await waitFor('\r\n');
  socket.write(`w1 LOGIN "${member.address}" "${member.password}"\r\n`);
  await waitFor('w1 OK');
  socket.write(`w2 SELECT ${box}\r\n`);
  await waitFor('w2 OK');
  const started = performance.now();
  socket.write(`w3 ${command}\r\n`);
  await waitFor('\r\nw3 OK');
  const ms = performance.now() - started;
  socket.destroy();
  return ms;
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat (fields 14 and 15). */
function processCpuSeconds(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function ok(imap: RawImap, tag: string, text: string): Promise<string[]> {
  const { untagged, done } = await imap.command(tag, text, 120_000);
  if (!done.startsWith(`${tag} OK`)) throw new Error(`${text.slice(0, 60)}: ${done}`);
  return untagged;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};

const rssMb = (pid: number): number => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

export async function benchImap(start: Start, option: (name: string, fallback: number) => number): Promise<void> {
  const count = option('count', 100_000);
  const sessions = option('sessions', 8);
  const idlers = option('idlers', 1000);
  const seconds = option('seconds', 5);
  const imapPort = await freePort();
  const server = await start({ MAILROOM_IMAP_PORT: String(imapPort) });
  try {
    await server.api('POST', '/users', { address: member.address, displayName: 'Member', password: member.password });
    for (const address of ['team@bench.test', 'alerts@bench.test']) {
      await server.api('POST', '/shared-mailboxes', { displayName: address, address });
      await server.api('POST', `/shared-mailboxes/${encodeURIComponent(address)}/members`, { members: [member.address] });
    }
    const [fillMs] = await timed(() => populate(server.dataDir, 'team@bench.test', count));
    console.log(`# imap: ${count} messages written through the store in ${(fillMs / 1000).toFixed(1)} s`);
    const box = '"Shared/team@bench.test/INBOX"';

    const imap = await RawImap.open(imapPort);
    await imap.login(member.address, member.password);
    // The first SELECT after start reads the UID list from the store; later ones (any session) copy
    // the shared list the change feed keeps current (servers/imap/folder-uid-cache.ts).
    const [selectColdMs] = await timed(() => ok(imap, 'a0', `SELECT ${box}`));
    const [selectMs] = await timed(() => ok(imap, 'a1', `SELECT ${box}`));
    const [fetchAllMs, fetched] = await timed(() => ok(imap, 'a2', 'UID FETCH 1:* (UID FLAGS)'));
    const fetchAllWireMs = await wireTime(imapPort, member, box, 'UID FETCH 1:* (UID FLAGS)');
    const [subjectMs, subjectHits] = await timed(() => ok(imap, 'a3', 'UID SEARCH SUBJECT zebra'));
    const [bodyMs, bodyHits] = await timed(() => ok(imap, 'a4', 'UID SEARCH BODY quokka'));
    const [envelopeMs] = await timed(() => ok(imap, 'a5', `FETCH ${count - 49}:${count} (ENVELOPE BODYSTRUCTURE)`));
    const [storeMs] = await timed(() => ok(imap, 'a6', `UID STORE ${Math.floor(count / 2)}:${Math.floor(count / 2) + 999} +FLAGS (\\Flagged)`));
    imap.close();
    const hits = (lines: string[]): number => (lines.find((l) => l.startsWith('* SEARCH'))?.split(' ').length ?? 2) - 2;
    console.log(`# SELECT ${selectMs.toFixed(1)} ms (target 20; the first after start ${selectColdMs.toFixed(1)} ms); UID FETCH 1:* (UID FLAGS) ${fetchAllMs.toFixed(1)} ms for ${fetched.length} rows, ${fetchAllWireMs.toFixed(1)} ms on the wire (target 150)`);
    console.log(`# UID SEARCH SUBJECT ${subjectMs.toFixed(1)} ms, ${hits(subjectHits)} hits; UID SEARCH BODY ${bodyMs.toFixed(1)} ms, ${hits(bodyHits)} hits (target 50)`);
    console.log(`# FETCH 50 ENVELOPE+BODYSTRUCTURE ${envelopeMs.toFixed(1)} ms (target 5); UID STORE +FLAGS on 1,000 ${storeMs.toFixed(1)} ms (target 20)`);

    // Mixed load: each session SELECTs, then pages through FETCH, reads a body and sets a flag.
    let operations = 0;
    const cpuBefore = processCpuSeconds(server.pid);
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: sessions }, async (_, s) => {
      const client = await RawImap.open(imapPort);
      await client.login(member.address, member.password);
      let n = 0;
      while (Date.now() < deadline) {
        if (n % 50 === 0) await ok(client, `s${n}`, `SELECT ${box}`);
        const at = 1 + ((s * 7919 + n * 50) % (count - 50));
        await ok(client, `f${n}`, `FETCH ${at}:${at + 49} (UID FLAGS RFC822.SIZE)`);
        await ok(client, `b${n}`, `FETCH ${at} BODY.PEEK[]`);
        await ok(client, `t${n}`, `STORE ${at + 1} ${n % 2 === 0 ? '+' : '-'}FLAGS (\\Answered)`);
        operations += n % 50 === 0 ? 4 : 3;
        n++;
      }
      client.close();
    }));
    const opsPerSecond = operations / seconds;
    const serverCpuShare = (processCpuSeconds(server.pid) - cpuBefore) / seconds;
    console.log(`# mixed load, ${sessions} sessions on one shared folder: ${opsPerSecond.toFixed(0)} ops/s (target 5000); the server used ${(serverCpuShare * 100).toFixed(0)}% of a core (${((serverCpuShare * 1000 * 1000) / Math.max(1, opsPerSecond)).toFixed(0)} µs of CPU per operation)`);

    // IDLE: many sessions on one shared folder; one message arrives by SMTP.
    const rssBefore = rssMb(server.pid);
    const idle: RawImap[] = [];
    for (let i = 0; i < idlers; i += 50) {
      idle.push(...await Promise.all(Array.from({ length: Math.min(50, idlers - i) }, async () => {
        const client = await RawImap.open(imapPort);
        await client.login(member.address, member.password);
        await ok(client, 'i1', 'SELECT "Shared/alerts@bench.test/INBOX"');
        client.write('i2 IDLE\r\n');
        await client.line(30_000);
        return client;
      })));
    }
    const rssIdle = rssMb(server.pid);
    const sent = performance.now();
    const pushed = idle.map(async (client) => {
      for (;;) if ((await client.line(30_000)).endsWith(' EXISTS')) return performance.now();
    });
    const ackMs = await sendOne(server.smtp, 'sender@example.org', ['alerts@bench.test'], messageNumber(1));
    const ack = sent + ackMs;
    const arrivals = await Promise.all(pushed);
    // From the start of the SMTP transaction: acceptance, delivery and the push to every session.
    // (A session can hear of the message before the sender reads the 250.)
    const afterSend = arrivals.map((t) => t - sent);
    const afterAck = arrivals.map((t) => t - ack);
    for (const client of idle) client.close();
    console.log(`# IDLE: ${idlers} sessions; EXISTS pushed p50 ${percentile(afterSend, 0.5).toFixed(1)} ms, p99 ${percentile(afterSend, 0.99).toFixed(1)} ms after the SMTP transaction began (${ackMs.toFixed(1)} ms to its 250; p99 ${percentile(afterAck, 0.99).toFixed(1)} ms after the 250) (target 50); server RSS ${rssIdle.toFixed(0)} MB (target 300), ${rssBefore.toFixed(0)} MB before the sessions connected`);
    console.log(`bench=imap messages=${count} select_ms=${selectMs.toFixed(1)} select_cold_ms=${selectColdMs.toFixed(1)} fetch_flags_all_ms=${fetchAllMs.toFixed(1)} fetch_flags_all_wire_ms=${fetchAllWireMs.toFixed(1)} search_subject_ms=${subjectMs.toFixed(1)} search_body_ms=${bodyMs.toFixed(1)} fetch50_envelope_ms=${envelopeMs.toFixed(1)} store1000_ms=${storeMs.toFixed(1)} mixed_ops_per_s=${opsPerSecond.toFixed(0)} idle_sessions=${idlers} idle_push_p99_ms=${percentile(afterSend, 0.99).toFixed(1)} rss_mb=${rssIdle.toFixed(0)} rss_before_idle_mb=${rssBefore.toFixed(0)}`);
  } finally {
    await server.stop();
  }
}
