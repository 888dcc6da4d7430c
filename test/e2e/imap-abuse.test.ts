import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { removeDataDir } from './harness.js';
import { createOrganization, deliver, eventually, imapClient, startImapServer, type ImapServer, type Organization } from './imap-helpers.js';
import { RawImap } from './imap-raw-client.js';
import { passwordOf } from './mail-helpers.js';
import { commandAvailable, runPython } from './system-tools.js';

/** Bad input (issue 4): every bad command gets BAD or NO, and the session and the server go on. */

const SHARED = 'Shared/info@contoso.com/INBOX';

/** A deterministic PRNG, so a failing fuzz case can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = ' ()[]<>"\\*%.:,-+~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz!#$&\'/\x01\x7f\u00e9';
const COMMANDS = ['FETCH', 'UID FETCH', 'STORE', 'SELECT', 'LIST', 'STATUS', 'APPEND', 'COPY', 'MOVE', 'SEARCH', 'LOGIN', 'ENABLE', 'X-NONSENSE', ''];

describe('IMAP bad input (raw socket and imaplib)', () => {
  let server: ImapServer;
  let org: Organization;
  const raws: RawImap[] = [];
  const raw = async (user?: string): Promise<RawImap> => {
    const r = await RawImap.open(server.imapPort);
    raws.push(r);
    if (user) await r.login(user, passwordOf(user));
    return r;
  };
  /** The session still answers, and so does the server to a new client. */
  const stillWorks = async (r: RawImap, tag = 'Z1'): Promise<void> => {
    assert.match((await r.command(tag, 'NOOP')).done, new RegExp(`^${tag} OK`));
    const other = await imapClient(server, { user: org.bob.address });
    assert.ok(other.usable);
    await other.logout();
  };

  before(async () => {
    server = await startImapServer();
    org = await createOrganization(server);
    await deliver(server, org.info, 'Abuse target');
    const alice = await imapClient(server, { user: org.alice.address });
    await eventually(async () => ((await alice.status(SHARED, { messages: true })) || { messages: 0 }).messages! >= 1 || undefined);
    await alice.logout();
  });
  after(async () => {
    for (const r of raws) r.close();
    await server.server.stop();
    removeDataDir(server.server.dataDir);
  });

  it('answers fuzzed command lines with BAD or NO and keeps the session', async () => {
    const r = await raw(org.alice.address);
    await r.command('S0', `SELECT "${SHARED}"`);
    const random = prng(4);
    for (let i = 0; i < 200; i++) {
      const length = Math.floor(random() * 60);
      let args = '';
      for (let j = 0; j < length; j++) args += ALPHABET[Math.floor(random() * ALPHABET.length)];
      const name = COMMANDS[Math.floor(random() * COMMANDS.length)]!;
      const tag = `F${i}`;
      const { done } = await r.command(tag, `${name} ${args}`);
      // A fuzzed line may by chance be valid; it must never crash or hang the session.
      assert.match(done, new RegExp(`^${tag} (OK|NO|BAD)`), `seed 4, case ${i}: ${name} ${args}`);
    }
    await stillWorks(r);
  });

  it('refuses unbalanced and huge literals without waiting for data', async () => {
    const r = await raw(org.alice.address);
    const huge = await r.command('L1', 'APPEND INBOX {999999999}');
    assert.match(huge.done, /^L1 NO \[TOOBIG\]/);
    assert.deepEqual(huge.untagged, [], 'no "+" invitation for a literal over APPENDLIMIT');
    await stillWorks(r, 'Z2');
    // RFC 7888 §4: a non-synchronizing literal's data follows regardless, so after refusing it the
    // server reads past it (or closes): only this connection is spent.
    const spent = await raw(org.alice.address);
    const hugeNonSync = await spent.command('L2', 'APPEND INBOX {999999999+}');
    assert.match(hugeNonSync.done, /^L2 (NO|BAD) \[TOOBIG\]/);
    spent.close();
    const login = await r.command('L3', 'LOGIN {70000}');
    assert.match(login.done, /^L3 BAD/);
    // A non-synchronizing literal shorter than what follows it: the rest is a bad command line.
    r.write('L4 SELECT {3+}\r\nINBOXX extra\r\n');
    assert.match((await r.until('L4')).done, /^L4 (BAD|NO)/);
    const unbalanced = await r.command('L5', `STATUS "${SHARED}" (MESSAGES UNSEEN`);
    assert.match(unbalanced.done, /^L5 BAD/);
    const unterminated = await r.command('L6', 'SELECT "INBOX');
    assert.match(unterminated.done, /^L6 BAD/);
    await stillWorks(r, 'Z3');
  });

  it('rejects invalid modified UTF-7 names', async () => {
    const r = await raw(org.alice.address);
    for (const [i, name] of ['&Jjo', '&-&', '&AGE-', '&Jjo!', '&U,BTFw-&ZeVnLIqe-'].entries()) {
      const { done } = await r.command(`U${i}`, `SELECT "${name}"`);
      assert.match(done, new RegExp(`^U${i} (BAD|NO)`), name);
    }
    await stillWorks(r);
  });

  it('answers FETCH 1:4294967295 and out-of-range numbers with BAD', async () => {
    const r = await raw(org.alice.address);
    await r.command('S1', `SELECT "${SHARED}"`);
    assert.match((await r.command('N1', 'FETCH 1:4294967295 (FLAGS)')).done, /^N1 BAD/);
    assert.match((await r.command('N2', 'FETCH 4294967296 (FLAGS)')).done, /^N2 BAD/);
    assert.match((await r.command('N3', 'FETCH 0 (FLAGS)')).done, /^N3 BAD/);
    assert.match((await r.command('N4', 'UID FETCH 1:99999999999 (FLAGS)')).done, /^N4 BAD/);
    assert.match((await r.command('N5', 'COPY 1:4294967295 INBOX')).done, /^N5 BAD/);
    await stillWorks(r);
  });

  it('answers commands in the wrong state with BAD', async () => {
    const r = await raw();
    assert.match((await r.command('W1', 'SELECT INBOX')).done, /^W1 BAD/);
    assert.match((await r.command('W2', 'APPEND INBOX {5}')).done, /^W2 BAD/);
    assert.match((await r.command('W3', 'FETCH 1 FLAGS')).done, /^W3 BAD/);
    await r.login(org.alice.address, passwordOf(org.alice.address));
    assert.match((await r.command('W4', 'FETCH 1 FLAGS')).done, /^W4 BAD/);
    assert.match((await r.command('W5', 'COPY 1 INBOX')).done, /^W5 BAD/);
    assert.match((await r.command('W6', 'LOGIN a b')).done, /^W6 BAD/);
    await stillWorks(r);
  });

  it('advertises LOGINDISABLED and refuses LOGIN without TLS from a non-loopback address', async (t) => {
    const address = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!address) return t.skip('no non-loopback IPv4 address on this machine');
    let r: RawImap;
    try {
      r = await RawImap.open(server.imapPort, address);
    } catch {
      return t.skip(`the IMAP listener is not reachable on ${address}`);
    }
    raws.push(r);
    const caps = await r.command('C1', 'CAPABILITY');
    assert.match(caps.untagged.join('\n'), /LOGINDISABLED/);
    assert.doesNotMatch(caps.untagged.join('\n'), /AUTH=PLAIN/);
    assert.match((await r.command('C2', `LOGIN "${org.alice.address}" "${passwordOf(org.alice.address)}"`)).done, /^C2 (NO|BAD)/);
    assert.match((await r.command('C3', 'NOOP')).done, /^C3 OK/);
  });

  it('imaplib: bad commands raise, and the connection goes on', { skip: commandAvailable('python3') ? false : 'python3 is not installed: imaplib checks skipped' }, async () => {
    const code = String.raw`
import imaplib, json, sys
a = json.load(sys.stdin)
m = imaplib.IMAP4('127.0.0.1', a['port'])
out = {}
def attempt(name, f):
    try:
        out[name] = f()[0]
    except imaplib.IMAP4.error as e:
        out[name] = 'error: ' + str(e)[:80]
attempt('selectBeforeLogin', lambda: m.select('INBOX'))
m.login(a['user'], a['password'])
attempt('fetchWithoutSelect', lambda: m._simple_command('FETCH', '1', '(FLAGS)'))
attempt('badUtf7', lambda: m.select('"&Jjo"'))
m.select('"%s"' % a['shared'])
attempt('hugeRange', lambda: m._simple_command('FETCH', '1:4294967295', '(FLAGS)'))
attempt('garbage', lambda: m._simple_command('STORE', '1', '+FLAGS', '((('))
out['noop'] = m.noop()[0]
out['fetch'] = m.fetch('1', '(FLAGS)')[0]
m.logout()
print(json.dumps(out))
`;
    const out = await runPython<Record<string, string>>(code, { port: server.imapPort, user: org.alice.address, password: passwordOf(org.alice.address), shared: SHARED });
    for (const key of ['selectBeforeLogin', 'fetchWithoutSelect', 'badUtf7', 'hugeRange', 'garbage']) {
      assert.ok(out[key] !== 'OK', `${key}: ${out[key]}`);
    }
    assert.equal(out.noop, 'OK');
    assert.equal(out.fetch, 'OK');
  });
});
