import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import { adminApi, assertStatus, encode, signIn, sleep, withToken, type Api } from './api-helpers.js';
import { freePort, startServer, type StartOptions, type TestServer } from './harness.js';
import { commandAvailable, runPython } from './system-tools.js';

/** Shared helpers of the mail-flow tests (mx, pipeline, malformed-mail): real SMTP clients, and reading mailboxes back. */

export interface MailServer {
  readonly server: TestServer;
  readonly smtpPort: number;
  readonly admin: Api;
}

/** The real server with its MX listener on a free port. */
export async function startMailServer(options: StartOptions = {}): Promise<MailServer> {
  const smtpPort = await freePort();
  const server = await startServer({ ...options, env: { MAILROOM_SMTP_PORT: String(smtpPort), ...options.env } });
  return { server, smtpPort, admin: await adminApi(server) };
}

/** An API caller signed in as a user, with its address and token (to read its mailbox). */
export type MailUser = Api & { readonly address: string; readonly token: string };

export const passwordOf = (address: string): string => `Pw-${address.toLowerCase()}-1`;

export async function createMailUser(mail: MailServer, address: string, displayName = address.split('@')[0]!): Promise<MailUser> {
  assertStatus(await mail.admin('POST', '/users', { address, displayName, password: passwordOf(address) }), 201);
  const token = await signIn(mail.server, address, passwordOf(address));
  return Object.assign(withToken(mail.server, token), { address, token });
}

/** The user as a watched mailbox (see assertNothingDelivered). */
export const watch = (user: MailUser): Watched => ({ reader: user, address: user.address });

export async function patchSettings(admin: Api, address: string, patch: unknown): Promise<void> {
  assertStatus(await admin('PATCH', `/mailboxes/${encode(address)}/settings`, patch), 200);
}

// ---------------------------------------------------------------- clients

export interface SentByNodemailer { accepted: string[]; rejected: string[]; response: string }
/** What nodemailer reports when the server refuses: the reply line and the command it answered. */
export interface NodemailerRefusal { responseCode: number; response: string; command: string }

/**
 * Sends raw bytes with nodemailer's SMTP transport (which turns bare CR and LF into CRLF and
 * stuffs dots). Resolves with the server's answer; rejects with nodemailer's error.
 */
export async function sendWithNodemailer(port: number, envelope: { from: string; to: string[] }, raw: Buffer | string): Promise<SentByNodemailer> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'client.test' });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { accepted: info.accepted.map(String), rejected: info.rejected.map(String), response: info.response };
  } finally {
    transport.close();
  }
}

export async function refusedByNodemailer(port: number, envelope: { from: string; to: string[] }, raw: Buffer | string): Promise<NodemailerRefusal> {
  const err = await sendWithNodemailer(port, envelope, raw).then(() => assert.fail('nodemailer: the server accepted a message it must refuse'), (e: unknown) => e as NodemailerRefusal);
  return { responseCode: err.responseCode, response: err.response, command: err.command };
}

/** One reply: [code, text without the code]. */
export type Reply = [number, string];

export interface SmtplibTranscript {
  /** EHLO keywords (lower case) and their parameters, as smtplib parsed them. */
  features: Record<string, string>;
  mail: Reply;
  rcpt: Reply[];
  /** DATA's final reply; null when no recipient was accepted and DATA was not sent. */
  data: Reply | null;
}

/*
 * Python's smtplib, driven command by command so each reply is seen. data() sends bytes as
 * they are (it only stuffs dots; it does not fix bare LF in bytes), so 8-bit and bare-LF mail
 * reach the server unchanged.
 */
const smtplibScript = String.raw`
import base64, json, smtplib, sys
spec = json.load(sys.stdin)
s = smtplib.SMTP('127.0.0.1', spec['port'], local_hostname='client.test', timeout=60)
s.ehlo()
out = {'features': s.esmtp_features}
text = lambda b: b.decode('utf-8', 'replace')
code, msg = s.mail(spec['from'], spec.get('mailOptions', []))
out['mail'] = [code, text(msg)]
out['rcpt'] = []
for r in spec['to']:
    code, msg = s.rcpt(r)
    out['rcpt'].append([code, text(msg)])
out['data'] = None
if out['mail'][0] == 250 and any(c == 250 for c, _ in out['rcpt']):
    try:
        code, msg = s.data(base64.b64decode(spec['data']))
    except smtplib.SMTPDataError as e:
        code, msg = e.smtp_code, e.smtp_error
    out['data'] = [code, text(msg)]
try:
    s.quit()
except smtplib.SMTPServerDisconnected:
    pass
print(json.dumps(out))
`;

export interface SmtplibMessage { from: string; to: string[]; data: Buffer; mailOptions?: string[] }

export function sendWithSmtplib(port: number, message: SmtplibMessage): Promise<SmtplibTranscript> {
  return runPython<SmtplibTranscript>(smtplibScript, { port, from: message.from, to: message.to, mailOptions: message.mailOptions ?? [], data: message.data.toString('base64') });
}

/** Sends with smtplib and asserts every step was accepted. */
export async function deliverWithSmtplib(port: number, message: SmtplibMessage): Promise<SmtplibTranscript> {
  const t = await sendWithSmtplib(port, message);
  assert.equal(t.mail[0], 250, `MAIL: ${JSON.stringify(t.mail)}`);
  for (const r of t.rcpt) assert.equal(r[0], 250, `RCPT: ${JSON.stringify(r)}`);
  assert.ok(t.data && t.data[0] === 250, `DATA: ${JSON.stringify(t.data)}`);
  return t;
}

/**
 * A bare TCP SMTP session, for bytes that smtplib and nodemailer would normalize or stuff.
 * `data` goes out exactly as given and must carry its own terminator. Returns every reply line.
 */
export function rawSmtpSession(port: number, envelope: { from: string; to: string[] }, data: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const steps: (Buffer | string)[] = ['EHLO client.test\r\n', `MAIL FROM:<${envelope.from}>\r\n`, ...envelope.to.map((to) => `RCPT TO:<${to}>\r\n`), 'DATA\r\n', data, 'QUIT\r\n'];
    const replies: string[] = [];
    let buffered = '';
    socket.setTimeout(30_000, () => socket.destroy(new Error(`raw SMTP session timed out; replies so far: ${replies.join(' | ')}`)));
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        replies.push(line);
        // The last line of a reply has a space after the code; then the next step goes out.
        if (/^\d{3} /.test(line)) {
          const next = steps.shift();
          if (next !== undefined) socket.write(next);
        }
      }
    });
    socket.once('error', reject);
    socket.once('close', () => resolve(replies));
  });
}

export const swaksAvailable = (): boolean => commandAvailable('swaks');

/** Runs swaks against the MX listener; returns its exit code and transcript. */
export function runSwaks(port: number, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('swaks', ['--server', '127.0.0.1', '--port', String(port), '--helo', 'client.test', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

// ---------------------------------------------------------------- reading mailboxes

export interface MessageSummary { uid: number; subject: string; from: string; to: string; date: string | null; internalDate: string; size: number; flags: string[]; blobHash: string }

/** A folder's messages in UID order; null while the mailbox has no such folder yet. */
async function readFolder(reader: Api, address: string, folder: string): Promise<MessageSummary[] | null> {
  const res = await reader('GET', `/mailboxes/${encode(address)}/folders/${encode(folder)}/messages?limit=1000`);
  if (res.status === 404 && res.body?.detail === `There is no folder "${folder}" in this mailbox.`) return null;
  assertStatus(res, 200);
  return res.body as MessageSummary[];
}

export async function listMessages(reader: Api, address: string, folder = 'INBOX'): Promise<MessageSummary[]> {
  return (await readFolder(reader, address, folder)) ?? assert.fail(`${address} has no folder "${folder}"`);
}

/**
 * Polls a folder until it holds at least `count` messages, for at most `timeoutMs`. A mailbox
 * gets its folders at its first delivery (or first folder listing); until then the folder's
 * 404 means "nothing yet".
 */
export async function waitForMessages(reader: Api, address: string, count: number, options: { folder?: string; timeoutMs?: number } = {}): Promise<MessageSummary[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const folder = options.folder ?? 'INBOX';
  for (;;) {
    const list = (await readFolder(reader, address, folder)) ?? [];
    if (list.length >= count) return list;
    if (Date.now() > deadline) assert.fail(`${address}/${folder}: expected ${count} messages, found ${list.length}: ${JSON.stringify(list.map((m) => m.subject))}`);
    await sleep(25);
  }
}

/** The stored bytes of one message. */
export async function fetchRaw(server: TestServer, token: string, address: string, uid: number, folder = 'INBOX'): Promise<Buffer> {
  const res = await fetch(`${server.url}/api/v1/mailboxes/${encode(address)}/folders/${encode(folder)}/messages/${uid}/raw`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `raw ${address}/${folder}/${uid}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Message counts per folder. */
export async function folderCounts(reader: Api, address: string): Promise<Record<string, number>> {
  const res = await reader('GET', `/mailboxes/${encode(address)}/folders`);
  assertStatus(res, 200);
  return Object.fromEntries((res.body as { name: string; messages: number }[]).map((f) => [f.name, f.messages]));
}

/**
 * The header fields this server puts in front of what it received: our Received trace field,
 * then what mailauth evaluated (Received-SPF, Authentication-Results). Returns them and the rest.
 */
export function splitTraceHeaders(stored: Buffer): { trace: string[]; rest: Buffer } {
  const trace: string[] = [];
  let offset = 0;
  for (;;) {
    const text = stored.subarray(offset, offset + 64 * 1024).toString('latin1');
    const match = /^(Received|Received-SPF|Authentication-Results):[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*/.exec(text);
    // Only the first Received is ours; a second one belongs to the original message.
    if (!match || (match[1] === 'Received' && trace.length > 0)) break;
    trace.push(match[0]);
    offset += match[0].length;
  }
  return { trace, rest: stored.subarray(offset) };
}

/** Asserts that a stored message is our trace header fields followed by exactly the bytes sent. */
export function assertStoredExactly(stored: Buffer, sent: Buffer, recipient?: string, methods: readonly string[] = ['spf', 'dkim', 'dmarc']): string[] {
  const { trace, rest } = splitTraceHeaders(stored);
  assert.match(trace[0] ?? '', /^Received: from client\.test \(\[127\.0\.0\.1\]\)\r\n\tby \S+ \(Mailroom\) with ESMTP id [0-9a-f]{16}/, 'our Received header comes first');
  if (recipient) assert.ok(trace[0]!.includes(`\tfor <${recipient}>;`), trace[0]);
  const results = trace.find((t) => t.startsWith('Authentication-Results:'));
  assert.ok(results, `an Authentication-Results header: ${trace.join('')}`);
  for (const method of methods) assert.match(results, new RegExp(`\\b${method}=`), `Authentication-Results records ${method}`);
  assert.ok(rest.equals(sent), `the original bytes follow exactly (stored ${rest.length} bytes after the trace, sent ${sent.length})`);
  return trace;
}

/** A plain CRLF message. */
export function plainMessage(fields: { from: string; to: string; subject: string; body?: string; extra?: string[] }): Buffer {
  return Buffer.from([
    `From: ${fields.from}`, `To: ${fields.to}`, `Subject: ${fields.subject}`, 'Date: Mon, 24 Nov 2025 10:00:00 +0000',
    `Message-ID: <${fields.subject.replace(/[^A-Za-z0-9]/g, '')}.${Math.random().toString(36).slice(2)}@client.test>`,
    ...(fields.extra ?? []), 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', fields.body ?? `Body of ${fields.subject}.`, '',
  ].join('\r\n'));
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  }));
  return results;
}

export interface Watched { readonly reader: Api; readonly address: string }

export async function snapshot(watched: readonly Watched[]): Promise<Record<string, number>[]> {
  return Promise.all(watched.map((w) => folderCounts(w.reader, w.address)));
}

/**
 * "Nothing changed", called after the refusal (or after the delivery that must not produce
 * anything): sends one ordinary message to `sentinel` and waits for it. Jobs are delivered in
 * the order they were accepted, and what a delivery generates (replies, warnings, NDRs) is
 * committed with it as a job of its own, so once the sentinel is in, anything earlier would be
 * too. Then every watched mailbox must hold exactly what it held before, apart from the sentinel.
 */
export async function assertNothingDelivered(mail: MailServer, watched: readonly Watched[], before: readonly Record<string, number>[], sentinel: Watched): Promise<void> {
  const sentinelBefore = await folderCounts(sentinel.reader, sentinel.address);
  const subject = `Sentinel ${Math.random().toString(36).slice(2)}`;
  await sendWithNodemailer(mail.smtpPort, { from: 'sentinel@fabrikam.example', to: [sentinel.address] }, plainMessage({ from: 'sentinel@fabrikam.example', to: sentinel.address, subject }));
  const inbox = await waitForMessages(sentinel.reader, sentinel.address, (sentinelBefore.INBOX ?? 0) + 1);
  assert.equal(inbox.at(-1)?.subject, subject);
  const after = await snapshot(watched);
  watched.forEach((w, i) => {
    const expected = { ...before[i] };
    if (w.address.toLowerCase() === sentinel.address.toLowerCase()) expected.INBOX = (expected.INBOX ?? 0) + 1;
    assert.deepEqual(after[i], expected, `${w.address}: folder counts must be unchanged`);
  });
}
