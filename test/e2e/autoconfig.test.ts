import assert from 'node:assert/strict';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { freePort, removeDataDir, startServer, type TestServer } from './harness.js';
import { basic, people } from './caldav-helpers.js';
import { adminApi, createUser } from './api-helpers.js';

/** Reads from a socket until `done` says the text so far is complete (or 5 s pass). */
function readUntil(socket: Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(text)}`)), 5000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (done(text)) {
        clearTimeout(timer);
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('error', (err) => { clearTimeout(timer); reject(err); });
  });
}

/** The greeting (and, for SMTP, the EHLO answer) of a server at host:port, in clear or with TLS from the first byte. */
async function greet(host: string, port: number, kind: 'smtp' | 'imap', implicitTls: boolean): Promise<string> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = implicitTls ? tlsConnect({ host, port, rejectUnauthorized: false, servername: host }, () => resolve(s)) : tcpConnect({ host, port }, () => resolve(s));
    s.once('error', reject);
  });
  try {
    if (kind === 'imap') return await readUntil(socket, (t) => t.includes('\r\n'));
    const banner = await readUntil(socket, (t) => /^220 .*\r\n/m.test(t));
    socket.write('EHLO autoconfig.test\r\n');
    return banner + await readUntil(socket, (t) => /^250 .*\r\n/m.test(t));
  } finally {
    socket.destroy();
  }
}

const all = (text: string, pattern: RegExp): string[][] => [...text.matchAll(pattern)].map((m) => m.slice(1));

/**
 * Thunderbird autoconfig, Outlook autodiscover and the Apple profile advertise what this server
 * was configured with, and the test connects to every advertised port to check it is really there.
 */
describe('client autoconfiguration', () => {
  let server: TestServer;
  const ports = { submission: 0, imap: 0, imaps: 0 };

  before(async () => {
    ports.submission = await freePort();
    ports.imap = await freePort();
    ports.imaps = await freePort();
    server = await startServer({
      env: {
        MAILROOM_HOSTNAME: 'localhost',
        MAILROOM_SUBMISSION_PORT: String(ports.submission),
        MAILROOM_IMAP_PORT: String(ports.imap),
        MAILROOM_IMAPS_PORT: String(ports.imaps),
      },
    });
    await createUser(await adminApi(server), people.alice.address, 'Alice', people.alice.password);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  /** IMAP is checked when the server opened the port (the IMAP listener); SMTP submission always. */
  async function checkAdvertised(t: { diagnostic: (message: string) => void }, host: string, servers: { kind: 'smtp' | 'imap'; port: number; implicitTls: boolean }[]) {
    assert.equal(host, 'localhost', 'the configured MAILROOM_HOSTNAME');
    for (const s of servers) {
      const greeting = await greet(host, s.port, s.kind, s.implicitTls).catch((err: Error) => err);
      if (s.kind === 'imap' && greeting instanceof Error && /ECONNREFUSED/.test(greeting.message)) {
        t.diagnostic(`IMAP port ${s.port} is not listening in this build; its greeting was not checked`);
        continue;
      }
      assert.ok(typeof greeting === 'string', `${s.kind} on ${s.port}: ${String(greeting)}`);
      if (s.kind === 'imap') assert.match(greeting, /^\* OK/, `IMAP greeting on ${s.port}`);
      else assert.match(greeting, /^250[- ]STARTTLS/m, `submission on ${s.port} offers STARTTLS`);
    }
  }

  test('Thunderbird: /.well-known/autoconfig and /mail/config-v1.1.xml', async (t) => {
    for (const path of ['/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice@contoso.com', '/mail/config-v1.1.xml?emailaddress=alice%40contoso.com']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
      const xml = await res.text();
      assert.match(xml, /<emailProvider id="contoso.com">\s*<domain>contoso.com<\/domain>/);
      const servers = all(xml, /<(incoming|outgoing)Server type="(imap|smtp)">\s*<hostname>([^<]+)<\/hostname>\s*<port>(\d+)<\/port>\s*<socketType>([A-Z]+)<\/socketType>/g);
      assert.deepEqual(servers, [
        ['incoming', 'imap', 'localhost', String(ports.imaps), 'SSL'],
        ['incoming', 'imap', 'localhost', String(ports.imap), 'STARTTLS'],
        ['outgoing', 'smtp', 'localhost', String(ports.submission), 'STARTTLS'],
      ]);
      await checkAdvertised(t, 'localhost', [
        { kind: 'imap', port: ports.imaps, implicitTls: true }, { kind: 'imap', port: ports.imap, implicitTls: false }, { kind: 'smtp', port: ports.submission, implicitTls: false },
      ]);
      // The advertised calendar home answers the user's own credentials.
      const calendarUrl = /<serverURL>([^<]+)<\/serverURL>/.exec(xml)?.[1];
      assert.equal(calendarUrl, `http://localhost:${new URL(server.url).port}/dav/calendars/alice@contoso.com/`);
      const home = await fetch(calendarUrl!, { method: 'PROPFIND', headers: { authorization: basic(people.alice), depth: '0' } });
      assert.equal(home.status, 207);
    }
    assert.equal((await fetch(`${server.url}/mail/config-v1.1.xml?emailaddress=someone@elsewhere.example`)).status, 404, 'not our domain');
  });

  test('Outlook: POST /autodiscover/autodiscover.xml (POX)', async (t) => {
    const request = (email: string) => `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>${email}</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>`;
    const res = await fetch(`${server.url}/autodiscover/autodiscover.xml`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: request('alice@contoso.com') });
    assert.equal(res.status, 200);
    const xml = await res.text();
    const protocols = all(xml, /<Type>(\w+)<\/Type>\s*<Server>([^<]+)<\/Server>\s*<Port>(\d+)<\/Port>\s*<LoginName>([^<]+)<\/LoginName>[\s\S]*?<SSL>(on|off)<\/SSL>/g);
    assert.deepEqual(protocols, [
      ['IMAP', 'localhost', String(ports.imaps), 'alice@contoso.com', 'on'],
      ['IMAP', 'localhost', String(ports.imap), 'alice@contoso.com', 'off'],
      ['SMTP', 'localhost', String(ports.submission), 'alice@contoso.com', 'off'],
    ]);
    assert.equal(all(xml, /<Encryption>TLS<\/Encryption>/g).length, 2, 'the STARTTLS servers say so');
    await checkAdvertised(t, 'localhost', [{ kind: 'smtp', port: ports.submission, implicitTls: false }, { kind: 'imap', port: ports.imaps, implicitTls: true }]);

    const foreign = await fetch(`${server.url}/autodiscover/autodiscover.xml`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: request('bob@elsewhere.example') });
    assert.match(await foreign.text(), /<ErrorCode>600<\/ErrorCode>/);
    const malformed = await fetch(`${server.url}/autodiscover/autodiscover.xml`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>' });
    assert.equal(malformed.status, 400);
  });

  test('Apple: /apple/mobileconfig has the IMAP, SMTP and CalDAV accounts', async (t) => {
    const res = await fetch(`${server.url}/apple/mobileconfig?address=alice@contoso.com`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-apple-aspen-config');
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="alice@contoso.com.mobileconfig"/);
    const plist = await res.text();
    const value = (key: string) => new RegExp(`<key>${key}</key>\\s*<(?:string|integer)>([^<]*)<`).exec(plist)?.[1];
    assert.equal(value('EmailAddress'), 'alice@contoso.com');
    assert.equal(value('IncomingMailServerHostName'), 'localhost');
    assert.equal(value('IncomingMailServerPortNumber'), String(ports.imaps));
    assert.equal(value('OutgoingMailServerPortNumber'), String(ports.submission));
    assert.equal(value('CalDAVHostName'), 'localhost');
    assert.equal(value('CalDAVPort'), new URL(server.url).port);
    assert.equal(value('CalDAVPrincipalURL'), '/dav/principals/alice@contoso.com/');
    assert.deepEqual(all(plist, /<key>PayloadType<\/key>\s*<string>([^<]+)<\/string>/g).map((m) => m[0]), ['com.apple.mail.managed', 'com.apple.caldav.account', 'Configuration']);
    assert.doesNotMatch(plist, /Password<\/key>\s*<string>/, 'no password in the profile');
    await checkAdvertised(t, 'localhost', [{ kind: 'imap', port: ports.imaps, implicitTls: true }, { kind: 'smtp', port: ports.submission, implicitTls: false }]);
    const principal = await fetch(`http://localhost:${value('CalDAVPort')}${value('CalDAVPrincipalURL')}`, { method: 'PROPFIND', headers: { authorization: basic(people.alice), depth: '0' } });
    assert.equal(principal.status, 207);
    assert.equal((await fetch(`${server.url}/apple/mobileconfig?address=nobody@elsewhere.example`)).status, 404);
    assert.equal((await fetch(`${server.url}/apple/mobileconfig`)).status, 404);
  });
});
