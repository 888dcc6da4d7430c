import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ImapFlow } from 'imapflow';
import { createOrganization, deliver, eventually, imapClient, ImapClients, startImapServer, stopImapServer, type ImapServer, type Organization } from './imap-helpers.js';
import { passwordOf } from './mail-helpers.js';
import { commandAvailable, runPython } from './system-tools.js';

/** Real IMAP clients from Debian and Python against the shared mailbox: imaplib, mutt and mbsync (isync). */

const SHARED = 'Shared/info@contoso.com/INBOX';
const skipUnless = (command: string, pkg: string): string | false =>
  commandAvailable(command) ? false : `${command} is not installed (apt-get install ${pkg}): its checks skipped`;


const IMAPLIB_SESSION = String.raw`
import imaplib, json, ssl, sys
a = json.load(sys.stdin)
out = {}
m = imaplib.IMAP4('127.0.0.1', a['port'])
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
out['starttls'] = m.starttls(ssl_context=ctx)[0]
m.login(a['user'], a['password'])
out['namespace'] = m.namespace()[1][0].decode()
out['list'] = [l.decode() for l in m.list()[1]]
typ, data = m.select('"%s"' % a['shared'])
out['select'] = [typ, data[0].decode()]
typ, data = m.fetch('1', '(BODY[])')
out['body'] = data[0][1].decode()
msg = b'From: alice@contoso.com\r\nSubject: From imaplib\r\n\r\nHi.\r\n'
typ, data = m.append('"%s"' % a['shared'], '(\\Seen)', None, msg)
out['append'] = [typ, data[0].decode()]
m.logout()
d = imaplib.IMAP4('127.0.0.1', a['port'])
d.starttls(ssl_context=ctx)
d.login(a['delegated'], a['password'])
typ, data = d.select('INBOX')
out['delegated'] = [typ, data[0].decode()]
typ, data = d.search(None, 'SUBJECT', '"From imaplib"')
out['delegatedSearch'] = data[0].decode()
d.logout()
print(json.dumps(out))
`;

describe('IMAP with real clients: imaplib, mutt, mbsync', () => {
  let server: ImapServer;
  let org: Organization;
  const clients = new ImapClients(() => server);
  const scratch = mkdtempSync(join(tmpdir(), 'mailroom-imap-clients-'));

  before(async () => {
    server = await startImapServer();
    org = await createOrganization(server);
    await deliver(server, org.info, 'Welcome to info', 'The first message.\r\n');
    const alice = await imapClient(server, { user: org.alice.address });
    clients.track(alice);
    await eventually(async () => ((await alice.status(SHARED, { messages: true })) || { messages: 0 }).messages! >= 1 || undefined);
  });
  after(async () => {
    await clients.closeAll();
    await stopImapServer(server);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('Python imaplib: STARTTLS, NAMESPACE, LIST, SELECT, FETCH, APPEND and delegated login', { skip: skipUnless('python3', 'python3') }, async () => {
    const out = await runPython(IMAPLIB_SESSION, {
      port: server.imapPort, user: org.alice.address, password: passwordOf(org.alice.address),
      delegated: `${org.alice.address}\\${org.info}`, shared: SHARED,
    }) as Record<string, unknown>;
    assert.equal(out.starttls, 'OK');
    assert.match(out.namespace as string, /\(\("Shared\/" "\/"\)\)/);
    assert.ok((out.list as string[]).some((l) => l.endsWith(`"/" ${SHARED}`) || l.endsWith(`"/" "${SHARED}"`)), (out.list as string[]).join('\n'));
    assert.deepEqual(out.select, ['OK', '1']);
    assert.match(out.body as string, /Subject: Welcome to info/);
    assert.match(out.body as string, /The first message\./);
    const [status, code] = out.append as [string, string];
    assert.equal(status, 'OK');
    assert.match(code, /^\[APPENDUID \d+ 2\]/);
    assert.deepEqual(out.delegated, ['OK', '2']);
    assert.equal(out.delegatedSearch, '2');
  });

  it('mutt opens the shared INBOX from a script and reads a message', { skip: skipUnless('mutt', 'mutt') || skipUnless('script', 'bsdutils') }, () => {
    const outFile = join(scratch, 'mutt-message.txt');
    const rc = join(scratch, 'muttrc');
    const user = encodeURIComponent(org.alice.address);
    writeFileSync(rc, [
      `set folder="imap://${user}@127.0.0.1:${server.imapPort}/"`,
      `set imap_pass="${passwordOf(org.alice.address)}"`,
      'set ssl_starttls=no', 'set ssl_force_tls=no', 'set imap_passive=no', 'set wait_key=no',
      'set header_cache=""', 'set message_cachedir=""', 'set move=no', 'set confirmappend=no', 'set mail_check=0',
      'set imap_check_subscribed=no', 'set sort=mailbox-order',
      // The address in the path has a dot: tell mutt that only "/" separates folders.
      'set imap_delim_chars="/"',
    ].join('\n') + '\n');
    // mutt is an interactive program: `script` gives it a terminal; `push` drives it and exits.
    const command = `mutt -n -F ${rc} -f "=${SHARED}" -e 'push "<first-entry><pipe-message>cat > ${outFile}<enter><exit>"'`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, TERM: 'vt100', COLUMNS: '120', LINES: '40', HOME: scratch },
      encoding: 'utf8', timeout: 30_000, input: '',
    });
    let piped = '';
    try {
      piped = readFileSync(outFile, 'utf8');
    } catch {
      assert.fail(`mutt wrote nothing (exit ${result.status}): ${result.stdout.slice(-2000)} ${result.stderr}`);
    }
    assert.match(piped, /Subject: Welcome to info/);
  });

  it('mbsync syncs the shared INBOX both ways', { skip: skipUnless('mbsync', 'isync') }, async () => {
    const maildir = join(scratch, 'maildir');
    const rc = join(scratch, 'mbsyncrc');
    mkdirSync(maildir, { recursive: true });
    writeFileSync(rc, [
      'IMAPAccount alice', 'Host 127.0.0.1', `Port ${server.imapPort}`, `User ${org.alice.address}`,
      `Pass ${passwordOf(org.alice.address)}`, 'SSLType None', 'AuthMechs LOGIN', '',
      'IMAPStore remote', 'Account alice', '',
      'MaildirStore local', `Path ${maildir}/`, `Inbox ${maildir}/INBOX`, 'SubFolders Verbatim', '',
      'Channel shared', `Far :remote:"${SHARED}"`, 'Near :local:shared', 'Create Near', 'Expunge Both', 'Sync All', 'SyncState *', '',
    ].join('\n'));
    const sync = (): void => {
      const result = spawnSync('mbsync', ['-c', rc, '-a'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: scratch } });
      assert.equal(result.status, 0, `mbsync failed: ${result.stdout}\n${result.stderr}`);
    };
    const local = (): string[] => ['cur', 'new'].flatMap((d) => readdirSync(join(maildir, 'shared', d)).map((f) => join(maildir, 'shared', d, f)));
    const subjects = (): string[] => local().map((f) => /^Subject: (.*)$/m.exec(readFileSync(f, 'utf8'))?.[1]?.trim() ?? '');

    sync();
    assert.ok(subjects().includes('Welcome to info'), subjects().join(', '));
    const count = subjects().length;

    // A message written locally goes up with APPEND.
    writeFileSync(join(maildir, 'shared', 'new', `${Date.now()}.local.mailroom`), 'From: alice@contoso.com\nTo: info@contoso.com\nSubject: Written in the maildir\n\nSynced up.\n');
    sync();
    const bob = await imapClient(server, { user: org.bob.address });
    clients.track(bob);
    const lock = await bob.getMailboxLock(SHARED);
    try {
      const found = await bob.search({ subject: 'Written in the maildir' }, { uid: true });
      assert.ok(found && found.length === 1, 'the local message is on the server');
      // Deleted on the server: gone locally after the next sync.
      const welcome = await bob.search({ subject: 'Welcome to info' }, { uid: true });
      assert.ok(welcome && welcome.length === 1);
      await bob.messageDelete(String(welcome[0]), { uid: true });
    } finally {
      lock.release();
    }
    sync();
    assert.ok(!subjects().includes('Welcome to info'), subjects().join(', '));
    assert.ok(subjects().includes('Written in the maildir'));
    assert.equal(subjects().length, count);
  });
});
