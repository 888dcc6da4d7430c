import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { CommandReader } from '../command-reader.js';
import type { ReaderEvent } from '../command-reader.js';
import { commandOf, refusalOf } from '../reader-test-support.js';
import { describePendingAppend } from './append.js';
import { parseCommand } from './index.js';

const MESSAGE = 'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.example>\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n';

describe('APPEND (RFC 3501 §6.3.11)', () => {
  it('parses the RFC example: flags, date-time and a literal', () => {
    const command = commandOf(`A003 APPEND saved-messages (\\Seen) "07-Feb-1994 21:52:25 -0800" {${MESSAGE.length}}\r\n${MESSAGE}`);
    assert.ok(command.name === 'APPEND');
    assert.equal(command.mailbox, 'saved-messages');
    const [message] = command.messages;
    assert.deepEqual(message?.flags, ['\\Seen']);
    assert.equal(message?.internalDate?.toISOString(), '1994-02-08T05:52:25.000Z');
    assert.equal(message?.utf8, false);
    assert.ok(message?.data.kind === 'buffered' && message.data.data.toString() === MESSAGE && !message.data.binary);
  });

  it('takes neither flags nor date, and literal8 (RFC 3516 §4.4)', () => {
    const command = commandOf('A1 APPEND INBOX ~{5}\r\nhe\0lo');
    assert.ok(command.name === 'APPEND');
    assert.deepEqual(command.messages[0], { flags: [], internalDate: null, utf8: false, data: { kind: 'buffered', data: Buffer.from('he\0lo'), binary: true } });
  });

  it('parses MULTIAPPEND (RFC 3502 §6) and the UTF8 extension (RFC 6855 §4)', () => {
    const command = commandOf('A1 APPEND Drafts (\\Draft $MDNSent) {2+}\r\nm1 "1-Jan-2024 10:00:00 +0000" {2+}\r\nm2 UTF8 (~{2+}\r\nm3)');
    assert.ok(command.name === 'APPEND');
    assert.equal(command.messages.length, 3);
    assert.deepEqual(command.messages.map((m) => [m.flags, m.internalDate?.toISOString() ?? null, m.utf8]), [
      [['\\Draft', '$MDNSent'], null, false], [[], '2024-01-01T10:00:00.000Z', false], [[], null, true],
    ]);
  });

  it('refuses what is not a message', () => {
    assert.equal(refusalOf('A1 APPEND INBOX "not a literal"'), 'BAD Invalid date-time "not a literal": expected "dd-Mon-yyyy hh:mm:ss +zzzz"');
    assert.equal(refusalOf('A1 APPEND INBOX (\\Seen)'), 'BAD Missing message');
    assert.equal(refusalOf('A1 APPEND INBOX (\\Recent) {1+}\r\nx'), 'BAD Invalid flag \\Recent');
    assert.equal(refusalOf('A1 APPEND INBOX "31-Feb-2024 00:00:00 +0000" {1+}\r\nx'), 'BAD Invalid date-time "31-Feb-2024 00:00:00 +0000": expected "dd-Mon-yyyy hh:mm:ss +zzzz"');
    assert.equal(refusalOf('A1 APPEND INBOX UTF8 ({1+}\r\nx)'), 'BAD UTF8 message data must be a literal8 ~{n} (RFC 6855 §4)');
    assert.equal(refusalOf('A1 APPEND INBOX'), 'BAD Missing message');
  });
});

describe('APPEND streamed from the reader', () => {
  it('describes the pending message before its data and parses the streamed command', () => {
    const reader = new CommandReader({ streamThreshold: 16 });
    const events: ReaderEvent[] = reader.push(Buffer.from('A1 APPEND "Sent Items" (\\Seen) "1-Jan-2024 10:00:00 +0000" {40}\r\n'));
    const continuation = events[0];
    assert.ok(continuation?.type === 'continuation' && continuation.literal.streamed);
    assert.deepEqual(describePendingAppend(continuation.args, { utf8: false }), {
      mailbox: 'Sent Items', index: 0, flags: ['\\Seen'], internalDate: new Date('2024-01-01T10:00:00Z'), utf8: false,
    });
    const rest = [...reader.acceptLiteral(), ...reader.push(Buffer.from(`${'x'.repeat(40)} UTF8 (~{3+}\r\nabc)\r\n`))];
    assert.deepEqual(rest.map((e) => e.type), ['literal-start', 'literal-data', 'literal-end', 'command']);
    const last = rest[3];
    assert.ok(last?.type === 'command');
    const parsed = parseCommand(last.command, { utf8: false });
    assert.ok(parsed.ok && parsed.command.name === 'APPEND');
    assert.deepEqual(parsed.command.messages.map((m) => m.data), [
      { kind: 'streamed', id: 1, size: 40, binary: false }, { kind: 'buffered', data: Buffer.from('abc'), binary: true },
    ]);
  });

  it('describes the second message of a MULTIAPPEND and one inside UTF8 ()', () => {
    const args = new CommandReader();
    const events = args.push(Buffer.from('A1 APPEND INBOX {1+}\r\nx (\\Flagged) UTF8 (~{5}\r\n'));
    const continuation = events[0];
    assert.ok(continuation?.type === 'continuation');
    assert.deepEqual(describePendingAppend(continuation.args, { utf8: false }), { mailbox: 'INBOX', index: 1, flags: ['\\Flagged'], internalDate: null, utf8: true });
  });
});
