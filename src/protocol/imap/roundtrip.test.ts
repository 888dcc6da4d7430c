// The serializer's output read back with the command reader (a response line with its "*" turned
// into a tag is a command line to the reader): strings, literals, literal8 and lists survive.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { ArgumentCursor } from './arguments.js';
import { CommandReader } from './command-reader.js';
import type { ReaderEvent } from './command-reader.js';
import { parseDateTime } from './date-time.js';
import { normalizeInbox } from './mailbox-name.js';
import { serializeResponse } from './responses.js';
import type { DataResponse } from './response-types.js';
import { plain } from './reader-test-support.js';
import type { CommandLine, Token } from './tokens.js';
import { seededRandom as random } from '../../../test/support/seeded-random.js';

function reparse(response: DataResponse, utf8 = false): CommandLine {
  const bytes = serializeResponse(response, { utf8 });
  assert.equal(bytes.subarray(0, 2).toString(), '* ');
  const reader = new CommandReader({ maxLineLength: 1 << 20, streamThreshold: 1 << 20, maxBufferedLiteralBytes: 1 << 22 });
  const pending: ReaderEvent[] = reader.push(Buffer.concat([Buffer.from('T1 '), bytes.subarray(2)]));
  while (pending.length > 0) {
    const event = pending.shift()!;
    if (event.type === 'continuation') pending.push(...reader.acceptLiteral());
    else if (event.type === 'command') return event.command;
    else if (event.type === 'error') assert.fail(`${event.error.text}: ${JSON.stringify(bytes.toString('latin1'))}`);
  }
  return assert.fail('no command read back');
}

const NAME_CHARS = [...'aZ09 /.-_&"\\%*]{}()~+NIL\u00e9\u00fc\u53f0\u5317', '\ud83d\udce7'];
const TEXT_CHARS = [...NAME_CHARS, '\r', '\n', '\r\n', '\u0001'];

function randomText(rng: () => number, chars: readonly string[], max: number): string {
  let s = '';
  const length = Math.floor(rng() * max);
  for (let i = 0; i < length; i++) s += chars[Math.floor(rng() * chars.length)];
  return s;
}

const cursorOf = (tokens: readonly Token[], utf8 = false): ArgumentCursor => new ArgumentCursor(tokens, { utf8 });

describe('serializer output re-parses', () => {
  it('LIST: any mailbox name comes back the same, in modified UTF-7 and in UTF-8', () => {
    const rng = random(7);
    for (let i = 0; i < 400; i++) {
      const name = randomText(rng, NAME_CHARS, i % 50 === 0 ? 1200 : 20);
      for (const utf8 of [false, true]) {
        const line = reparse({ type: 'LIST', attributes: ['\\HasNoChildren'], delimiter: '/', mailbox: name, childInfo: ['SUBSCRIBED'] }, utf8);
        assert.equal(line.name, 'LIST');
        const args = cursorOf(line.args, utf8);
        assert.deepEqual(plain(line.args[0]!), ['\\HasNoChildren']);
        args.next('attributes');
        assert.equal(args.string('delimiter'), '/');
        assert.equal(args.mailbox(), normalizeInbox(name), JSON.stringify(name));
      }
    }
  });

  it('ID: any text comes back the same (NUL aside), quoted or literal', () => {
    const rng = random(8);
    for (let i = 0; i < 300; i++) {
      const value = randomText(rng, TEXT_CHARS, i % 30 === 0 ? 3000 : 40);
      const line = reparse({ type: 'ID', parameters: [['name', value], ['os', null]] }, i % 2 === 0);
      const list = cursorOf(line.args).list('ID');
      assert.equal(list.string('field'), 'name');
      assert.equal(list.string('value'), value);
      assert.equal(list.string('field'), 'os');
      assert.equal(list.nstring('value'), null);
    }
  });

  it('FETCH: every item type reads back, body octets intact', () => {
    const body = Buffer.from('Subject: caf\u00e9\r\n\r\n)("{5}\r\n\0\u00ff', 'latin1');
    const line = reparse({
      type: 'FETCH', sequence: 12, items: [
        { type: 'UID', uid: 4 }, { type: 'FLAGS', flags: ['\\Seen', '$Forwarded'] },
        { type: 'INTERNALDATE', date: new Date('1996-07-17T09:44:25Z'), offsetMinutes: -420 }, { type: 'RFC822.SIZE', size: 4286 },
        { type: 'MODSEQ', modSeq: 12121231000 },
        { type: 'ENVELOPE', envelope: { date: null, subject: 'caf\u00e9 "x"', from: [{ name: 'A, B', adl: null, mailbox: 'a', host: 'x' }], sender: null, replyTo: null, to: null, cc: null, bcc: null, inReplyTo: null, messageId: '<m@x>' } },
        { type: 'BODY[]', section: { part: [1, 2], specifier: 'HEADER.FIELDS', fields: ['DATE', 'X-Spam Flag'] }, origin: null, data: body },
        { type: 'BODY[]', section: { part: [], specifier: null, fields: [] }, origin: 100, data: '' },
        { type: 'BINARY[]', part: [1], origin: null, data: body }, { type: 'BINARY.SIZE', part: [1], size: body.length },
        { type: 'RFC822.HEADER', data: null },
      ],
    });
    assert.equal(line.name, '12');
    const items = cursorOf(line.args);
    assert.equal(items.keyword('FETCH'), 'FETCH');
    const list = items.list('items');
    const get = (): Token => list.next('item');
    assert.deepEqual([plain(get()), plain(get())], ['UID', '4']);
    assert.deepEqual([plain(get()), plain(get())], ['FLAGS', ['\\Seen', '$Forwarded']]);
    assert.equal(plain(get()), 'INTERNALDATE');
    assert.equal(parseDateTime(list.string('date'))?.toISOString(), '1996-07-17T09:44:25.000Z');
    assert.deepEqual([plain(get()), plain(get()), plain(get()), plain(get())], ['RFC822.SIZE', '4286', 'MODSEQ', ['12121231000']]);
    assert.equal(plain(get()), 'ENVELOPE');
    const envelope = get();
    assert.ok(envelope.type === 'list' && envelope.items.length === 10);
    const subject = envelope.items[1];
    assert.ok(subject?.type === 'string' && subject.data.toString('utf8') === 'caf\u00e9 "x"');
    assert.deepEqual(plain(get()), { atom: 'BODY', section: ['1.2.HEADER.FIELDS', ['DATE', { s: 'X-Spam Flag' }]] });
    assert.ok(list.bytes('body').equals(body));
    assert.deepEqual(plain(get()), { atom: 'BODY', section: [], partial: '100.' });
    assert.equal(list.bytes('empty body').length, 0);
    assert.deepEqual(plain(get()), { atom: 'BINARY', section: ['1'] });
    const binary = get();
    assert.ok(binary.type === 'string' && binary.binary && binary.data.equals(body));
    assert.deepEqual([plain(get()), plain(get())], [{ atom: 'BINARY.SIZE', section: ['1'] }, String(body.length)]);
    assert.deepEqual([plain(get()), plain(get())], ['RFC822.HEADER', 'NIL']);
    list.end();
  });

  it('other data responses read back as well-formed lines', () => {
    const responses: DataResponse[] = [
      { type: 'STATUS', mailbox: 'Entw\u00fcrfe', items: { MESSAGES: 1, HIGHESTMODSEQ: 9 } },
      { type: 'SEARCH', numbers: [1, 2], modSeq: 3 },
      { type: 'ESEARCH', tag: 'A"1', uid: true, min: 1, max: 9, count: 3, all: [1, 5, 9], modSeq: 4 },
      { type: 'THREAD', threads: [{ id: 2, children: [] }, { id: null, children: [{ id: 3, children: [] }, { id: 5, children: [{ id: 6, children: [] }, { id: 7, children: [] }] }] }] },
      { type: 'NAMESPACE', personal: [{ prefix: '', delimiter: '/' }], other: null, shared: [{ prefix: 'Shared/', delimiter: '/' }] },
      { type: 'QUOTA', root: 'User quota', resources: [{ name: 'STORAGE', usage: 10, limit: 512 }, { name: 'MESSAGE', usage: 1, limit: 2 }] },
      { type: 'QUOTAROOT', mailbox: 'INBOX', roots: ['', 'User quota'] },
      { type: 'ACL', mailbox: 'Shared/info@contoso.com/INBOX', entries: [{ identifier: 'alice@contoso.com', rights: 'lrs' }, { identifier: 'a b', rights: '' }] },
      { type: 'LISTRIGHTS', mailbox: 'INBOX', identifier: 'anyone', required: '', optional: ['l', 'r'] },
      { type: 'VANISHED', earlier: true, uids: [1, 2, 3, 7] },
      { type: 'FLAGS', flags: ['\\Answered', '$Junk'] },
    ];
    for (const response of responses) {
      const line = reparse(response);
      assert.ok(line.args.length > 0 || line.name === 'SEARCH', response.type);
    }
    const status = reparse(responses[0]!);
    assert.equal(cursorOf(status.args).mailbox(), 'Entw\u00fcrfe');
  });
});
