// SEARCH, ESEARCH, SORT and THREAD through real clients: imapflow for SEARCH, Python imaplib for
// what imapflow does not speak (RFC 4731 ESEARCH, RFC 5256 SORT and THREAD).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { ImapFlow } from 'imapflow';
import { createOrganization, eventually, ImapClients, startImapServer, stopImapServer, type ImapServer, type Organization } from './imap-helpers.js';
import { passwordOf, sendWithNodemailer } from './mail-helpers.js';
import { runPython } from './system-tools.js';

interface TestMessage {
  readonly from: string;
  readonly subject: string;
  readonly date: string;
  readonly body: string;
  readonly extra?: string;
  readonly id: string;
}

const MESSAGES: TestMessage[] = [
  { id: 'm1', from: '"Zed Zulu" <zed@fabrikam.com>', subject: 'Quarterly report', date: 'Sat, 10 Jan 2026 09:00:00 +0000', body: 'The numbers are final. Pineapple.' },
  { id: 'm2', from: '"Anna Adams" <anna@fabrikam.com>', subject: 'Re: Quarterly report', date: 'Mon, 12 Jan 2026 09:00:00 +0000', body: 'Looks good to me.', extra: 'Cc: bob@contoso.com\r\nIn-Reply-To: <m1@fabrikam.com>\r\nReferences: <m1@fabrikam.com>\r\n' },
  { id: 'm3', from: 'Mike <mike@fabrikam.com>', subject: 'Lunch tomorrow?', date: 'Sun, 11 Jan 2026 09:00:00 +0000', body: 'Pizza or sushi?', extra: 'X-Campaign: spring sale\r\n' },
  { id: 'm4', from: '"Bea Brown" <bea@fabrikam.com>', subject: 'Fwd: Re: Quarterly report', date: 'Tue, 13 Jan 2026 09:00:00 +0000', body: `${'Long forwarded text. '.repeat(250)}`, extra: 'In-Reply-To: <m2@fabrikam.com>\r\nReferences: <m1@fabrikam.com> <m2@fabrikam.com>\r\n' },
  { id: 'm5', from: '"Carl Cole" <carl@fabrikam.com>', subject: 'Holiday plans', date: 'Fri, 09 Jan 2026 09:00:00 +0000', body: 'Off to the beach.', extra: 'Bcc: secret-keeper@fabrikam.com\r\n' },
];

function raw(to: string, m: TestMessage): string {
  return `From: ${m.from}\r\nTo: ${to}\r\nSubject: ${m.subject}\r\nMessage-ID: <${m.id}@fabrikam.com>\r\nDate: ${m.date}\r\n${m.extra ?? ''}\r\n${m.body}\r\n`;
}

/** Runs Python imaplib commands on a selected mailbox; the script prints JSON. */
function imaplib(server: ImapServer, user: string, mailbox: string, body: string): Promise<unknown> {
  const script = [
    'import imaplib, json, sys',
    `M = imaplib.IMAP4('127.0.0.1', ${server.imapPort})`,
    `M.login(${JSON.stringify(user)}, ${JSON.stringify(passwordOf(user))})`,
    `M.select(${JSON.stringify(`"${mailbox}"`)})`,
    'def text(data): return [d.decode() if isinstance(d, bytes) else d for d in data]',
    'out = {}',
    body,
    'print(json.dumps(out))',
    'M.logout()',
  ].join('\n');
  return runPython(script);
}

describe('IMAP: SEARCH, ESEARCH, SORT and THREAD', () => {
  let server: ImapServer;
  let org: Organization;
  const clients = new ImapClients(() => server);
  const open = (user: string): Promise<ImapFlow> => clients.connect(user);
  const count = async (client: ImapFlow, box: string): Promise<number> => {
    const status = await client.status(box, { messages: true });
    return status ? status.messages ?? 0 : 0;
  };

  before(async () => {
    server = await startImapServer();
    org = await createOrganization(server);
    const watcher = await open(org.alice.address);
    // One at a time, so UIDs follow the list.
    for (const [i, m] of MESSAGES.entries()) {
      await sendWithNodemailer(server.smtpPort, { from: 'sender@fabrikam.com', to: [org.alice.address] }, raw(org.alice.address, m));
      await eventually(async () => (await count(watcher, 'INBOX')) >= i + 1);
    }
    for (const [i, m] of MESSAGES.slice(0, 2).entries()) {
      await sendWithNodemailer(server.smtpPort, { from: 'sender@fabrikam.com', to: [org.info] }, raw(org.info, m));
      await eventually(async () => (await count(watcher, 'Shared/info@contoso.com/INBOX')) >= i + 1);
    }
  });
  after(async () => {
    await clients.closeAll();
    await stopImapServer(server);
  });

  it('finds messages by text through the full-text index, by header, size and date', async () => {
    const alice = await open(org.alice.address);
    const lock = await alice.getMailboxLock('INBOX');
    try {
      const uids = (query: object) => alice.search(query, { uid: true });
      assert.deepEqual(await uids({ subject: 'quarterly' }), [1, 2, 4]);
      assert.deepEqual(await uids({ subject: 'QUARTERLY REP' }), [1, 2, 4]);
      assert.deepEqual(await uids({ subject: 'Re: Quarterly' }), [2, 4]);
      assert.deepEqual(await uids({ body: 'pineapple' }), [1]);
      assert.deepEqual(await uids({ text: 'sushi' }), [3]);
      assert.deepEqual(await uids({ body: 'nothing-like-this' }), []);
      assert.deepEqual(await uids({ from: 'anna' }), [2]);
      assert.deepEqual(await uids({ from: 'FABRIKAM.COM' }), [1, 2, 3, 4, 5]);
      assert.deepEqual(await uids({ cc: 'bob@' }), [2]);
      assert.deepEqual(await uids({ to: 'alice@contoso.com' }), [1, 2, 3, 4, 5]);
      assert.deepEqual(await uids({ bcc: 'secret-keeper' }), [5]);
      assert.deepEqual(await uids({ header: { 'x-campaign': 'spring' } }), [3]);
      assert.deepEqual(await uids({ header: { 'x-campaign': '' } }), [3]);
      assert.deepEqual(await uids({ header: { 'in-reply-to': 'm1@' } }), [2]);
      // Blobs stored before migration 0009 have no header kept beside their text: read from the blob.
      // (On SQLite, whose file the test can reach; the suite also runs with DATABASE_URL set.)
      if (!server.server.env.DATABASE_URL) {
        const file = new Database(join(server.server.dataDir, 'mailroom.sqlite'));
        file.prepare('UPDATE blob_text SET header = NULL').run();
        file.close();
        assert.deepEqual(await uids({ header: { 'x-campaign': 'spring' } }), [3]);
        assert.deepEqual(await uids({ bcc: 'secret-keeper' }), [5]);
      }
      assert.deepEqual(await uids({ larger: 3000 }), [4]);
      assert.deepEqual(await uids({ smaller: 3000, subject: 'quarterly' }), [1, 2]);
      assert.deepEqual(await uids({ sentBefore: new Date('2026-01-11T00:00:00Z') }), [1, 5]);
      assert.deepEqual(await uids({ sentOn: new Date('2026-01-11T00:00:00Z') }), [3]);
      assert.deepEqual(await uids({ sentSince: new Date('2026-01-12T00:00:00Z') }), [2, 4]);
      assert.deepEqual(await uids({ before: new Date('2001-01-01T00:00:00Z') }), []);
      assert.deepEqual(await uids({ since: new Date('2001-01-01T00:00:00Z') }), [1, 2, 3, 4, 5]);
      assert.deepEqual(await uids({ or: [{ subject: 'lunch' }, { body: 'beach' }] }), [3, 5]);
      assert.deepEqual(await uids({ not: { subject: 'quarterly' } }), [3, 5]);
      assert.deepEqual(await uids({ uid: '2:3', subject: 'quarterly' }), [2]);
      assert.deepEqual(await alice.search({ seq: '4:*' }), [4, 5]);
      assert.deepEqual(await uids({ all: true }), [1, 2, 3, 4, 5]);
    } finally {
      lock.release();
    }
  });

  it('finds messages by flags and keywords', async () => {
    const alice = await open(org.alice.address);
    const lock = await alice.getMailboxLock('INBOX');
    try {
      await alice.messageFlagsAdd('1', ['\\Seen'], { uid: true });
      await alice.messageFlagsAdd('3', ['\\Flagged', '$Important'], { uid: true });
      const uids = (query: object) => alice.search(query, { uid: true });
      assert.deepEqual(await uids({ seen: true }), [1]);
      assert.deepEqual(await uids({ seen: false }), [2, 3, 4, 5]);
      assert.deepEqual(await uids({ flagged: true }), [3]);
      assert.deepEqual(await uids({ keyword: '$important' }), [3]);
      assert.deepEqual(await uids({ unKeyword: '$Important', seen: false }), [2, 4, 5]);
      assert.deepEqual(await uids({ answered: true }), []);
      assert.deepEqual(await uids({ deleted: false, flagged: false, subject: 'quarterly' }), [1, 2, 4]);
    } finally {
      lock.release();
    }
  });

  it('searches a shared folder with the flags members share', async () => {
    const alice = await open(org.alice.address);
    const bob = await open(org.bob.address);
    const box = 'Shared/info@contoso.com/INBOX';
    const lockA = await alice.getMailboxLock(box);
    const lockB = await bob.getMailboxLock(box);
    try {
      assert.deepEqual(await alice.search({ subject: 'report' }, { uid: true }), [1, 2]);
      await bob.messageFlagsAdd('2', ['\\Answered'], { uid: true });
      assert.deepEqual(await alice.search({ answered: true }, { uid: true }), [2]);
      assert.deepEqual(await alice.search({ body: 'pineapple', answered: false }, { uid: true }), [1]);
    } finally {
      lockA.release();
      lockB.release();
    }
  });

  it('answers ESEARCH return options, MODSEQ and CHARSET (imaplib)', async () => {
    const out = await imaplib(server, org.alice.address, 'INBOX', [
      "typ, data = M.uid('SEARCH', 'RETURN (MIN MAX COUNT ALL) SUBJECT quarterly')",
      "out['esearch'] = text(M.untagged_responses.pop('ESEARCH', []))",
      "typ, data = M.uid('SEARCH', 'RETURN (COUNT) BODY nothing-like-this')",
      "out['none'] = text(M.untagged_responses.pop('ESEARCH', []))",
      "typ, data = M.search(None, 'RETURN () 2:4')",
      "out['seq'] = text(M.untagged_responses.pop('ESEARCH', []))",
      "typ, data = M.uid('SEARCH', 'MODSEQ 1 SUBJECT quarterly')",
      "out['modseq'] = text(data)",
      "typ, data = M.uid('SEARCH', 'CHARSET UTF-8 SUBJECT lunch')",
      "out['utf8'] = text(data)",
      "typ, data = M.uid('SEARCH', 'CHARSET KOI8-R SUBJECT lunch')",
      "out['koi8'] = [typ] + text(data)",
    ].join('\n')) as Record<string, string[]>;
    assert.match(out.esearch?.[0] ?? '', /^\(TAG "[^"]+"\) UID MIN 1 MAX 4 COUNT 3 ALL 1:2,4$/);
    assert.match(out.none?.[0] ?? '', /^\(TAG "[^"]+"\) UID COUNT 0$/);
    assert.match(out.seq?.[0] ?? '', /^\(TAG "[^"]+"\) ALL 2:4$/);
    assert.match(out.modseq?.[0] ?? '', /^1 2 4 \(MODSEQ \d+\)$/);
    assert.deepEqual(out.utf8, ['3']);
    assert.match(String(out.koi8), /BADCHARSET/);
  });
  it('sorts by every RFC 5256 key (imaplib)', async () => {
    const sorts: Record<string, string> = {
      date: '(DATE)', reverseDate: '(REVERSE DATE)', arrival: '(ARRIVAL)', from: '(FROM)', displayFrom: '(DISPLAYFROM)',
      subject: '(SUBJECT)', subjectThenReverseDate: '(SUBJECT REVERSE DATE)', cc: '(CC)', to: '(TO)', reverseSize: '(REVERSE SIZE)',
    };
    const out = await imaplib(server, org.alice.address, 'INBOX', [
      ...Object.entries(sorts).map(([name, criteria]) => `out['${name}'] = text(M.uid('SORT', '${criteria}', 'UTF-8', 'ALL')[1])`),
      "out['filtered'] = text(M.uid('SORT', '(DATE)', 'UTF-8', 'SUBJECT quarterly')[1])",
      "out['bySequence'] = text(M.sort('(REVERSE ARRIVAL)', 'US-ASCII', '2:4')[1])",
    ].join('\n')) as Record<string, string[]>;
    assert.deepEqual(out.date, ['5 1 3 2 4']);
    assert.deepEqual(out.reverseDate, ['4 2 3 1 5']);
    assert.deepEqual(out.arrival, ['1 2 3 4 5']);
    assert.deepEqual(out.from, ['2 4 5 3 1']);
    assert.deepEqual(out.displayFrom, ['2 4 5 3 1']);
    assert.deepEqual(out.subject, ['5 3 1 2 4']);
    assert.deepEqual(out.subjectThenReverseDate, ['5 3 4 2 1']);
    assert.deepEqual(out.cc, ['1 3 4 5 2']);
    assert.deepEqual(out.to, ['1 2 3 4 5']);
    assert.equal(out.reverseSize?.[0]?.split(' ')[0], '4');
    assert.deepEqual(out.filtered, ['1 2 4']);
    assert.deepEqual(out.bySequence, ['4 3 2']);
  });

  it('threads by references and by subject, also in a shared folder (imaplib)', async () => {
    const out = await imaplib(server, org.alice.address, 'INBOX', [
      "out['references'] = text(M.uid('THREAD', 'REFERENCES', 'UTF-8', 'ALL')[1])",
      "out['orderedSubject'] = text(M.uid('THREAD', 'ORDEREDSUBJECT', 'UTF-8', 'ALL')[1])",
      "out['someReferences'] = text(M.uid('THREAD', 'REFERENCES', 'UTF-8', 'NOT UID 2')[1])",
    ].join('\n')) as Record<string, string[]>;
    assert.deepEqual(out.references, ['(5)(1 2 4)(3)']);
    assert.deepEqual(out.orderedSubject, ['(5)(1 (2)(4))(3)']);
    // Without 2, 4 still belongs under 1 through its References; 2 is a missing parent.
    assert.deepEqual(out.someReferences, ['(5)(1 4)(3)']);
    const shared = await imaplib(server, org.bob.address, 'Shared/info@contoso.com/INBOX', [
      "out['thread'] = text(M.uid('THREAD', 'REFERENCES', 'UTF-8', 'ALL')[1])",
      "out['sort'] = text(M.uid('SORT', '(REVERSE ARRIVAL)', 'UTF-8', 'ALL')[1])",
    ].join('\n')) as Record<string, string[]>;
    assert.deepEqual(shared.thread, ['(1 2)']);
    assert.deepEqual(shared.sort, ['2 1']);
  });
});
