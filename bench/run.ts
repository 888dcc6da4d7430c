/**
 * `npm run bench [-- smtp|group|caldav|all] [--count N] [--concurrency C] [--size BYTES]`
 *
 * Starts a fresh Mailroom (SQLite, temporary data directory) and measures, on this machine:
 *  - smtp:  durable inbound ingest, one connection per message — messages/s acknowledged (250),
 *           and messages/s acknowledged *and* visible in the mailbox;
 *  - group: one message to a 500-member distribution group — time until every member has it,
 *           and how many blobs it took on disk;
 *  - caldav: 10,000 events (500 recurring): a one-month calendar-query and a sync-collection
 *           after one change (bench/caldav-load.ts).
 * Each result ends with one `bench=NAME key=value …` line, like ../shared/bench/mailbench.
 * BENCH_SERVER_NODE_ARGS passes options to the server's node (e.g. "--cpu-prof --cpu-prof-dir=DIR").
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../test/e2e/harness.js';
import { benchCaldav } from './caldav-load.js';
import { messageOfSize, runLoad, sendOne } from './smtp-load.js';
import { benchImap } from './imap-bench.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const scenario = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'all';
const root = new URL('../../', import.meta.url).pathname;
const admin = { user: 'admin@bench.test', password: 'Bench-admin-1' };

async function startMailroom(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-bench-'));
  const [http, smtp] = [await freePort(), await freePort()];
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'bin', 'mailroom.js'), 'serve'], {
    env: {
      ...process.env, MAILROOM_DATA_DIR: dataDir, MAILROOM_HTTP_PORT: String(http), MAILROOM_SMTP_PORT: String(smtp),
      MAILROOM_SUBMISSION_PORT: '0', MAILROOM_IMAP_PORT: '0', MAILROOM_IMAPS_PORT: '0', MAILROOM_DOMAIN: 'bench.test',
      MAILROOM_ADMIN_PASSWORD: admin.password, MAILROOM_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${http}`;
  for (let i = 0; i < 400; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${admin.user}:${admin.password}`).toString('base64')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  return {
    url, dataDir, smtp, api, pid: child.pid!, cpuSeconds: () => cpuSecondsOf(child.pid!), writtenBytes: () => writtenBytesOf(child.pid!),
    db: () => new Database(join(dataDir, 'mailroom.sqlite'), { readonly: true, fileMustExist: true }),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat (fields 14 and 15). */
function cpuSecondsOf(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Bytes the process has caused to be written to storage (WAL, database, checkpoints), from /proc/PID/io. */
function writtenBytesOf(pid: number): number {
  return Number(/^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

async function benchSmtp(): Promise<void> {
  const count = option('count', 5000);
  const concurrency = option('concurrency', 8);
  const size = option('size', 4096);
  const server = await startMailroom();
  try {
    await server.api('POST', '/users', { address: 'bench3@bench.test', displayName: 'Bench 3', password: 'benchpw3-long' });
    const db = server.db();
    const visible = db.prepare(`select count(*) as n from messages m join folders f on f.id = m.folder_id join addresses a on a.recipient_id = f.mailbox_id where a.address_key = 'bench3@bench.test' and f.name = 'INBOX'`);
    const cpuBefore = server.cpuSeconds();
    const writtenBefore = server.writtenBytes();
    const started = Date.now();
    const load = await runLoad(server.smtp, 'sender@example.org', ['bench3@bench.test'], count, concurrency, size);
    await waitUntil(() => (visible.get() as { n: number }).n >= load.sent, 120_000);
    const e2eSeconds = (Date.now() - started) / 1000;
    const cpu = server.cpuSeconds() - cpuBefore;
    const written = server.writtenBytes() - writtenBefore;
    db.close();
    console.log(`# smtp: ${load.sent} x ${size} B, ${concurrency} connections at a time, one message per connection`);
    console.log(`# acknowledged ${load.perSecond.toFixed(0)}/s (p50 ${load.p50.toFixed(1)} ms, p99 ${load.p99.toFixed(1)} ms); acknowledged and visible ${(load.sent / e2eSeconds).toFixed(0)}/s`);
    console.log(`bench=smtp-ingest sent=${load.sent} failed=${load.failed} concurrency=${concurrency} size=${size} msgs_per_s=${load.perSecond.toFixed(1)} e2e_msgs_per_s=${(load.sent / e2eSeconds).toFixed(1)} lat_p50_ms=${load.p50.toFixed(2)} lat_p99_ms=${load.p99.toFixed(2)} server_cpu_ms_per_msg=${(cpu * 1000 / load.sent).toFixed(2)} server_written_kb_per_msg=${(written / 1024 / load.sent).toFixed(1)}`);
  } finally {
    await server.stop();
  }
}

async function benchGroup(): Promise<void> {
  const members = option('members', 500);
  const server = await startMailroom();
  try {
    await server.api('POST', '/groups', { address: 'everyone@bench.test', displayName: 'Everyone', type: 'distribution' });
    const addresses = Array.from({ length: members }, (_, i) => `member${i}@bench.test`);
    for (let i = 0; i < addresses.length; i += 16) {
      await Promise.all(addresses.slice(i, i + 16).map((address) => server.api('POST', '/users', { address, displayName: address, password: 'member-password-1' })));
    }
    await server.api('POST', '/groups/everyone@bench.test/members', { members: addresses });
    const db = server.db();
    const delivered = db.prepare(`select count(distinct f.mailbox_id) as n, count(distinct m.blob_hash) as blobs from messages m join folders f on f.id = m.folder_id where f.name = 'INBOX'`);
    const message = messageOfSize(300 * 1024, 1);
    const started = Date.now();
    const ackMs = await sendOne(server.smtp, 'sender@example.org', ['everyone@bench.test'], message);
    await waitUntil(() => (delivered.get() as { n: number }).n >= members, 60_000);
    const seconds = (Date.now() - started) / 1000;
    const result = delivered.get() as { n: number; blobs: number };
    db.close();
    const blobDir = join(server.dataDir, 'blobs');
    const files = readdirSync(blobDir, { recursive: true }).filter((f) => statSync(join(blobDir, String(f))).isFile()).length;
    console.log(`# group: one 300 KiB message to a ${members}-member distribution group`);
    console.log(`# acknowledged in ${ackMs.toFixed(1)} ms; in all ${result.n} mailboxes after ${seconds.toFixed(2)} s; ${result.blobs} blob, ${files} file on disk`);
    console.log(`bench=group-delivery members=${members} delivered=${result.n} ack_ms=${ackMs.toFixed(1)} all_delivered_s=${seconds.toFixed(3)} distinct_blobs=${result.blobs} blob_files=${files}`);
  } finally {
    await server.stop();
  }
}

if (scenario === 'smtp' || scenario === 'all') await benchSmtp();
if (scenario === 'group' || scenario === 'all') await benchGroup();
if (scenario === 'imap') await benchImap(startMailroom, option);
if (scenario === 'caldav' || scenario === 'all') {
  const server = await startMailroom();
  try {
    await benchCaldav({ url: server.url, user: admin.user, password: admin.password, events: option('events', 10_000), recurring: option('recurring', 500) });
  } finally {
    await server.stop();
  }
}
