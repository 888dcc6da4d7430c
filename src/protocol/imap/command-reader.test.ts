import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { CommandReader } from './command-reader.js';
import type { ReaderEvent } from './command-reader.js';
import { drive } from './reader-test-support.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Drives the input whole, byte by byte and in chunks of 2, 3 and 7; all must agree. */
function read(input: string | Buffer, options = {}): ReturnType<typeof drive>['entries'] {
  const bytes = typeof input === 'string' ? b(input) : input;
  const whole = drive(bytes, [bytes.length], options).entries;
  for (const sizes of [[1], [2], [3], [7, 1, 4]]) {
    assert.deepEqual(drive(bytes, sizes, options).entries, whole, `chunks of ${sizes.join(',')}`);
  }
  return whole;
}

describe('CommandReader: tokens', () => {
  it('reads the RFC 3501 §8 client lines', () => {
    assert.deepEqual(read('a001 login mrc secret\r\na002 select inbox\r\na003 fetch 12 full\r\n'), [
      { command: 'a001 LOGIN', args: ['mrc', 'secret'] },
      { command: 'a002 SELECT', args: ['inbox'] },
      { command: 'a003 FETCH', args: ['12', 'full'] },
    ]);
    assert.deepEqual(read('a004 fetch 12 body[header]\r\na005 store 12 +flags \\deleted\r\na006 logout\r\n'), [
      { command: 'a004 FETCH', args: ['12', { atom: 'body', section: ['header'] }] },
      { command: 'a005 STORE', args: ['12', '+flags', '\\deleted'] },
      { command: 'a006 LOGOUT', args: [] },
    ]);
  });

  it('unescapes quoted strings (RFC 3501 §4.3) and keeps UTF-8 bytes', () => {
    assert.deepEqual(read(Buffer.from('A1 LOGIN "fr\\"ed\\\\" "p\u00e4ss" ""\r\n', 'utf8')), [
      { command: 'A1 LOGIN', args: [{ s: 'fr"ed\\' }, { s: 'p\u00e4ss' }, { s: '' }] },
    ]);
  });

  it('reads nested lists, sections with header lists and partial ranges', () => {
    assert.deepEqual(read('A1 UID FETCH 1:*,7 (BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.100> FLAGS BINARY[1.2]<5> ()) (CHANGEDSINCE 12)\r\n'), [{
      command: 'A1 UID',
      args: ['FETCH', '1:*,7', [
        { atom: 'BODY.PEEK', section: ['HEADER.FIELDS', ['DATE', 'FROM']], partial: '0.100' }, 'FLAGS',
        { atom: 'BINARY', section: ['1.2'], partial: '5.' }, [],
      ], ['CHANGEDSINCE', '12']],
    }]);
  });

  it('keeps brackets of other atoms (list-mailbox, astring) as atom text', () => {
    assert.deepEqual(read('A1 LIST "" foo[bar]/%\r\nA2 CREATE ]x\r\n'), [
      { command: 'A1 LIST', args: [{ s: '' }, 'foo[bar]/%'] },
      { command: 'A2 CREATE', args: [']x'] },
    ]);
  });

  it('tolerates extra spaces, ignores blank lines and accepts a bare LF', () => {
    assert.deepEqual(read('\r\nA1  NOOP \r\n\r\nA2 FETCH 1  ( FLAGS )\nA3 NOOP\r\n'), [
      { command: 'A1 NOOP', args: [] },
      { command: 'A2 FETCH', args: ['1', ['FLAGS']] },
      { command: 'A3 NOOP', args: [] },
    ]);
  });
});

describe('CommandReader: literals', () => {
  it('asks for a synchronizing literal and reads it (RFC 3501 §7.5)', () => {
    assert.deepEqual(read('A1 LOGIN {4}\r\nfred {6}\r\nse\r\nt!\r\n'), [
      { continuation: 'A1 4' },
      { continuation: 'A1 6' },
      { command: 'A1 LOGIN', args: [{ lit: 'fred' }, { lit: 'se\r\nt!' }] },
    ]);
  });

  it('reads non-synchronizing literals without asking (RFC 7888 §3 example)', () => {
    assert.deepEqual(read('A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n'), [
      { command: 'A001 LOGIN', args: [{ lit: 'FRED FOOBAR' }, { lit: 'fat man' }] },
    ]);
  });

  it('reads literal8 with NUL (RFC 3516 §4.4) and zero-length literals', () => {
    assert.deepEqual(read('A003 APPEND Drafts (\\Draft) ~{5+}\r\nhe\0lo {0+}\r\n\r\n'), [
      { command: 'A003 APPEND', args: ['Drafts', ['\\Draft'], { lit: 'he\0lo' }, { lit: '' }] },
    ]);
  });

  it('rejectLiteral() abandons the command; the next one is read', () => {
    const result = drive(b('A1 APPEND nosuch {3}\r\nA2 NOOP\r\n'), [100], {}, { reject: () => true });
    assert.deepEqual(result.entries, [{ continuation: 'A1 3 rejected' }, { command: 'A2 NOOP', args: [] }]);
  });

  it('gives the arguments read so far with a continuation, open lists included', () => {
    const reader = new CommandReader();
    const events = reader.push(b('A1 APPEND INBOX (\\Seen) "1-Jan-2024 00:00:00 +0000" UTF8 ({5}\r\n'));
    assert.equal(events.length, 1);
    const event = events[0] as Extract<ReaderEvent, { type: 'continuation' }>;
    assert.equal(event.type, 'continuation');
    assert.equal(event.args.length, 5);
    assert.deepEqual(event.args[4], { type: 'list', items: [] });
    assert.throws(() => reader.resume(), /pending literal/);
  });

  it('streams a large APPEND literal in chunks and never buffers it', () => {
    const body = Buffer.alloc(300 * 1024, 'x');
    const input = Buffer.concat([b('A1 APPEND INBOX {307200+}\r\n'), body, b('\r\nA2 NOOP\r\n')]);
    const result = drive(input, [4096, 65536, 1]);
    assert.deepEqual(result.entries, [
      { streamed: 307200, bytes: 307200 },
      { command: 'A1 APPEND', args: ['INBOX', { stream: 307200 }] },
      { command: 'A2 NOOP', args: [] },
    ]);
    assert.ok(result.streams.get(1)!.equals(body));
    assert.ok(result.maxBuffered < 70 * 1024, `buffered ${result.maxBuffered}`);
  });

  it('streams a synchronizing literal once accepted, and a MULTIAPPEND beyond the buffered budget', () => {
    // Chunks of at most a few octets: a client sends nothing between "{n}" and our continuation.
    const entries = drive(b('A1 APPEND INBOX {70000}\r\n' + 'y'.repeat(70000) + ' {4}\r\nsmal\r\n'), [3, 1]).entries;
    assert.deepEqual(entries, [
      { continuation: 'A1 70000 streamed' },
      { streamed: 70000, bytes: 70000 },
      { continuation: 'A1 4' },
      { command: 'A1 APPEND', args: ['INBOX', { stream: 70000 }, { lit: 'smal' }] },
    ]);
    const budget = drive(b('A1 APPEND INBOX {6+}\r\n123456 {6+}\r\n789012\r\n'), [5], { maxBufferedLiteralBytes: 10 });
    assert.deepEqual(budget.entries, [
      { streamed: 6, bytes: 6 },
      { command: 'A1 APPEND', args: ['INBOX', { lit: '123456' }, { stream: 6 }] },
    ]);
  });
});

describe('CommandReader: limits and resynchronization', () => {
  it('answers an over-long line BAD [TOOBIG] with its tag and reads the next command', () => {
    const entries = read(`A1 LOGIN ${'x'.repeat(200)}\r\nA2 NOOP\r\n`, { maxLineLength: 100 });
    assert.deepEqual(entries, [{ error: 'A1 BAD [TOOBIG]' }, { command: 'A2 NOOP', args: [] }]);
  });

  it('counts the line without its literals', () => {
    const entries = read(`A1 LOGIN {60+}\r\n${'x'.repeat(60)} {60+}\r\n${'y'.repeat(60)}\r\n`, { maxLineLength: 40 });
    assert.equal(entries.length, 1);
    assert.equal((entries[0] as { command: string }).command, 'A1 LOGIN');
  });

  it('refuses a large literal outside APPEND; a synchronizing one is never sent', () => {
    assert.deepEqual(read('A1 LOGIN {70000}\r\nA2 NOOP\r\n'), [{ error: 'A1 BAD [TOOBIG]' }, { command: 'A2 NOOP', args: [] }]);
  });

  it('skips the data of a refused non-synchronizing literal, CRLFs inside it included', () => {
    const entries = read(`A1 SEARCH TEXT {70000+}\r\n${'a\r\nA9 LOGOUT\r\n'.repeat(5000)}b\r\nA2 NOOP\r\n`);
    assert.deepEqual(entries, [{ error: 'A1 BAD [TOOBIG]' }, { command: 'A2 NOOP', args: [] }]);
  });

  it('refuses APPEND above maxLiteralSize with NO [TOOBIG] (RFC 7889)', () => {
    assert.deepEqual(read('A1 APPEND INBOX {5000}\r\nA2 NOOP\r\n', { maxLiteralSize: 4000 }), [
      { error: 'A1 NO [TOOBIG]' }, { command: 'A2 NOOP', args: [] },
    ]);
  });

  it('limits LITERAL- non-synchronizing literals to 4096 octets (RFC 7888 §4)', () => {
    const big = 'z'.repeat(5000);
    assert.deepEqual(read(`A1 LOGIN {5000+}\r\n${big} pw\r\nA2 NOOP\r\n`, { nonSyncLiterals: 'LITERAL-' }), [
      { error: 'A1 BAD [TOOBIG]' }, { command: 'A2 NOOP', args: [] },
    ]);
    assert.deepEqual(read('A1 LOGIN {2+}\r\nab pw\r\n', { nonSyncLiterals: 'none' }), [{ error: 'A1 BAD' }]);
  });

  it('limits nesting depth', () => {
    assert.deepEqual(read(`A1 SEARCH ${'('.repeat(40)}ALL${')'.repeat(40)}\r\nA2 NOOP\r\n`), [
      { error: 'A1 BAD [LIMIT]' }, { command: 'A2 NOOP', args: [] },
    ]);
  });

  it('reports syntax errors with the tag when there is one', () => {
    assert.deepEqual(read('+A NOOP\r\nA1\r\nA2 FETCH 1 (FLAGS\r\nA3 FETCH 1 FLAGS)\r\nA4 LOGIN "a\\x" b\r\nA5 X "open\r\nA6 NOOP\r\n'), [
      { error: '* BAD' }, { error: 'A1 BAD' }, { error: 'A2 BAD' }, { error: 'A3 BAD' }, { error: 'A4 BAD' }, { error: 'A5 BAD' },
      { command: 'A6 NOOP', args: [] },
    ]);
    assert.deepEqual(read(Buffer.from('A1 LOGIN caf\u00e9 x\r\nA2 LOGIN a\u0001 b\r\nA3 X {abc}\r\nA4 NOOP\r\n', 'utf8')), [
      { error: 'A1 BAD' }, { error: 'A2 BAD' }, { error: 'A3 BAD' }, { command: 'A4 NOOP', args: [] },
    ]);
  });

  it('skips a failed command whose non-synchronizing literals are still arriving', () => {
    assert.deepEqual(read('A1 FETCH ) {5+}\r\nab\r\nc {3+}\r\nx\r\n\r\nA2 NOOP\r\n'), [{ error: 'A1 BAD' }, { command: 'A2 NOOP', args: [] }]);
  });
});

describe('CommandReader: pausing commands', () => {
  it('pauses after IDLE and hands DONE over as a line (RFC 2177)', () => {
    const reader = new CommandReader();
    const first = reader.push(b('A1 IDLE\r\nDONE\r\nA2 NOOP\r\n'));
    assert.deepEqual(first.map((e) => e.type), ['command']);
    assert.equal(reader.pausedFor, 'command');
    assert.deepEqual(reader.readLine(), [{ type: 'line', text: 'DONE' }]);
    assert.equal(reader.pausedFor, 'line');
    const rest = reader.resume();
    assert.equal(rest.length, 1);
    const next = rest[0]!;
    assert.equal(next.type === 'command' && next.command.name, 'NOOP');
  });

  it('lets the caller discard what followed STARTTLS (RFC 2595 §3.1)', () => {
    const reader = new CommandReader();
    reader.push(b('A1 STARTTLS\r\nA2 LOGIN injected x\r\n'));
    assert.equal(reader.discardHeld(), 21);
    assert.deepEqual(reader.resume(), []);
    assert.equal(reader.push(b('A3 NOOP\r\n'))[0]!.type, 'command');
  });

  it('answers an over-long AUTHENTICATE line with an untagged error and reads on', () => {
    const entries = drive(b(`A1 AUTHENTICATE PLAIN\r\n${'Q'.repeat(300)}\r\nA2 NOOP\r\n`), [50], { maxLineLength: 100 }, { onPause: 'line' }).entries;
    assert.deepEqual(entries, [{ command: 'A1 AUTHENTICATE', args: ['PLAIN'] }, { error: '* BAD [TOOBIG]' }, { command: 'A2 NOOP', args: [] }]);
  });

  it('gives up on a client that floods while it should wait', () => {
    const reader = new CommandReader({ maxLineLength: 100 });
    reader.push(b('A1 LOGIN {5}\r\n'));
    const events = reader.push(Buffer.alloc(200, 'a'));
    const first = events[0];
    assert.equal(first?.type === 'error' && first.error.fatal, true);
    assert.deepEqual(reader.push(b('A2 NOOP\r\n')), []);
  });
});
