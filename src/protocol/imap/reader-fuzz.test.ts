// Fuzzing the command reader and the parsers: generated commands, corrupted commands and random
// bytes, pushed whole, byte by byte, in random chunks and split at every position. The reader must
// never throw, never hold a literal above its threshold, answer the same whatever the chunking, and
// always find the next command; the parsers must only ever refuse with BAD/NO.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { CommandReader } from './command-reader.js';
import type { CommandReaderOptions, ReaderEvent } from './command-reader.js';
import { parseCommand } from './commands/index.js';
import { drive } from './reader-test-support.js';
import type { Entry, Plain } from './reader-test-support.js';
import { seededRandom as random } from '../../../test/support/seeded-random.js';

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const int = (rng: Rng, max: number): number => Math.floor(rng() * (max + 1));

const OPTIONS: Partial<CommandReaderOptions> = { maxLineLength: 200, maxLiteralSize: 1000, streamThreshold: 16, maxBufferedLiteralBytes: 48, maxNestingDepth: 6 };
/** Non-synchronizing literals in generated input stay below this, so a drain line always ends them. */
const MAX_GENERATED_LITERAL = 40;
const DRAIN = Buffer.from(`${'x'.repeat(64)}\r\nZZ9 NOOP\r\n`);
const NAMES = ['LOGIN', 'FETCH', 'UID FETCH', 'APPEND', 'SEARCH', 'LIST', 'STORE', 'SELECT', 'STATUS', 'X-FOO', 'UID SEARCH', 'CREATE'];
const ATOMS = ['FLAGS', 'BODY.PEEK[HEADER.FIELDS (DATE FROM)]<0.10>', 'BODY[]', '1:*', '2,4:7', 'NIL', '\\Seen', 'INBOX', '%', 'RETURN', 'UID', 'CHARSET', 'UTF-8', 'NOT', 'OR', 'ALL', '0', '4294967296', 'BINARY[1]<0.5>'];
const LITERAL_BYTES = 'abc \r\n()"\\]x\u00e9';

function literal(rng: Rng): string {
  const size = int(rng, MAX_GENERATED_LITERAL);
  let data = '';
  while (Buffer.byteLength(data, 'latin1') < size) data += pick(rng, [...LITERAL_BYTES]);
  data = data.slice(0, size);
  const kind = pick(rng, ['{n}', '{n+}', '~{n}', '~{n+}']);
  return `${kind.replace('n', String(data.length))}\r\n${data}`;
}

function token(rng: Rng, depth: number): string {
  const r = rng();
  if (r < 0.35) return pick(rng, ATOMS);
  if (r < 0.55) return `"${pick(rng, ['', 'a b', 'q\\"x', 'back\\\\slash', 'Entw&APw-rfe', '1-Feb-1994'])}"`;
  if (r < 0.75) return literal(rng);
  if (depth >= 4) return 'ALL';
  return `(${Array.from({ length: int(rng, 3) }, () => token(rng, depth + 1)).join(' ')})`;
}

function command(rng: Rng, tag: string): string {
  const args = Array.from({ length: int(rng, 4) }, () => token(rng, 0));
  return `${tag} ${pick(rng, NAMES)}${args.map((a) => ` ${a}`).join('')}\r\n`;
}

function corrupt(rng: Rng, text: Buffer): Buffer {
  const at = int(rng, text.length);
  switch (int(rng, 6)) {
    case 0: return text.subarray(0, at);
    case 1: return Buffer.concat([text.subarray(0, at), Buffer.from([int(rng, 255)]), text.subarray(at)]);
    case 2: return Buffer.concat([text.subarray(0, at), text.subarray(Math.min(text.length, at + 1 + int(rng, 5)))]);
    case 3: return Buffer.concat([text.subarray(0, at), text.subarray(at, at + int(rng, 30)), text.subarray(at)]);
    case 4: return Buffer.from(text.toString('latin1').replace(/\{[0-9]+/, `{${int(rng, MAX_GENERATED_LITERAL)}`), 'latin1');
    case 5: return Buffer.from(text.toString('latin1').replace(/\{[0-9]+\+?\}/, pick(rng, ['{99999999999999}', '{70000}', '{0}'])), 'latin1');
    default: return Buffer.concat([text.subarray(0, at), Buffer.from('('.repeat(int(rng, 12))), text.subarray(at)]);
  }
}

/** Random bytes biased towards IMAP syntax; no "+", so no non-synchronizing literal of any size. */
function noise(rng: Rng): Buffer {
  const alphabet = [...'A1 (){}[]<>"\\~*%:,.0123456789\r\n\r\nBODYFLAGS'].map((c) => c.charCodeAt(0)).concat([0, 0x80, 0xe9, 0xff, 0x7f]);
  return Buffer.from(Array.from({ length: int(rng, 300) }, () => pick(rng, alphabet)));
}

function literalSizes(plain: Plain, out: number[]): void {
  if (Array.isArray(plain)) plain.forEach((p) => literalSizes(p, out));
  else if (typeof plain === 'object' && 'lit' in plain) out.push(Buffer.byteLength(plain.lit, 'latin1'));
  else if (typeof plain === 'object' && 'section' in plain) literalSizes(plain.section, out);
}

function check(input: Buffer, rng: Rng): Entry[] {
  const whole = drive(input, [input.length], OPTIONS).entries;
  const bytewise = drive(input, [1], OPTIONS);
  assert.deepEqual(bytewise.entries, whole, `byte by byte: ${JSON.stringify(input.toString('latin1'))}`);
  const sizes = Array.from({ length: 5 }, () => 1 + int(rng, 40));
  const chunked = drive(input, sizes, OPTIONS);
  assert.deepEqual(chunked.entries, whole, `chunks ${sizes}: ${JSON.stringify(input.toString('latin1'))}`);
  const bound = 2 * OPTIONS.maxLineLength! + OPTIONS.maxBufferedLiteralBytes! + 41;
  assert.ok(chunked.maxBuffered <= bound && bytewise.maxBuffered <= bound, `buffered ${chunked.maxBuffered}`);
  for (const entry of whole) {
    if (!('command' in entry)) continue;
    const sizesSeen: number[] = [];
    literalSizes(entry.args, sizesSeen);
    assert.ok(sizesSeen.every((n) => n <= OPTIONS.streamThreshold!), 'a buffered literal above the threshold');
  }
  assert.deepEqual(whole[whole.length - 1], { command: 'ZZ9 NOOP', args: [] }, `no resync after ${JSON.stringify(input.toString('latin1'))}`);
  return whole;
}

describe('reader fuzz', () => {
  it('reads generated commands the same way in any chunking', () => {
    const rng = random(1);
    const seen = { command: 0, error: 0, streamed: 0, continuation: 0 };
    for (let round = 0; round < 300; round++) {
      const input = Buffer.concat([Buffer.from(Array.from({ length: 1 + int(rng, 3) }, (_, i) => command(rng, `T${i}`)).join(''), 'latin1'), DRAIN]);
      for (const entry of check(input, rng)) {
        for (const kind of Object.keys(seen) as Array<keyof typeof seen>) if (kind in entry) seen[kind]++;
      }
    }
    // The generator reaches every path: commands, refusals, streamed and synchronizing literals.
    assert.ok(seen.command > 300 && seen.error > 50 && seen.streamed > 20 && seen.continuation > 50, JSON.stringify(seen));
  });

  it('splits small inputs at every position', () => {
    const rng = random(2);
    for (let round = 0; round < 40; round++) {
      const input = Buffer.concat([corrupt(rng, Buffer.from(command(rng, 'A1'), 'latin1')), DRAIN]);
      const whole = drive(input, [input.length], OPTIONS).entries;
      for (let k = 1; k < input.length; k++) {
        assert.deepEqual(drive(input, [k, input.length], OPTIONS).entries, whole, `split at ${k}`);
      }
    }
  });

  it('survives corrupted commands: truncated, duplicated, miscounted literals, deep nesting', () => {
    const rng = random(3);
    for (let round = 0; round < 600; round++) {
      const input = Buffer.concat([corrupt(rng, Buffer.from(command(rng, 'C1') + command(rng, 'C2'), 'latin1')), DRAIN]);
      check(input, rng);
    }
  });

  it('survives random bytes', () => {
    const rng = random(4);
    for (let round = 0; round < 600; round++) check(Buffer.concat([noise(rng), DRAIN]), rng);
  });

  it('never throws in the parsers, whatever tokens a command carries', () => {
    const rng = random(5);
    let commands = 0;
    for (let round = 0; round < 3000; round++) {
      const reader = new CommandReader({ maxLineLength: 4000, maxNestingDepth: 8 });
      const text = `P1 ${pick(rng, [...COMMAND_NAMES])}${Array.from({ length: int(rng, 6) }, () => ` ${token(rng, 0)}`).join('')}\r\n`;
      const pending: ReaderEvent[] = reader.push(Buffer.from(text, 'latin1'));
      while (pending.length > 0) {
        const event = pending.shift()!;
        if (event.type === 'continuation') pending.push(...reader.acceptLiteral());
        if (event.type === 'command') {
          commands++;
          for (const utf8 of [false, true]) assert.doesNotThrow(() => parseCommand(event.command, { utf8 }), text);
        }
      }
    }
    assert.ok(commands > 2000, `only ${commands} commands read`);
  });
});

describe('reader limits under load', () => {
  it('streams a 35 MB APPEND in 64 KiB chunks holding only a chunk', () => {
    const size = 35 * 1024 * 1024;
    const reader = new CommandReader({ maxLiteralSize: 50 * 1024 * 1024 });
    let streamed = 0;
    let maxBuffered = 0;
    let commands = 0;
    const count = (events: ReaderEvent[]): void => {
      for (const e of events) {
        if (e.type === 'literal-data') streamed += e.chunk.length;
        if (e.type === 'command') commands++;
      }
    };
    count(reader.push(Buffer.from(`A1 APPEND INBOX {${size}+}\r\n`)));
    const chunk = Buffer.alloc(64 * 1024, 'm');
    for (let sent = 0; sent < size; sent += chunk.length) {
      count(reader.push(chunk.subarray(0, Math.min(chunk.length, size - sent))));
      maxBuffered = Math.max(maxBuffered, reader.bufferedBytes);
    }
    count(reader.push(Buffer.from('\r\n')));
    assert.equal(streamed, size);
    assert.equal(commands, 1);
    assert.ok(maxBuffered < 1024, `buffered ${maxBuffered}`);
  });

  it('answers huge announced counts without waiting for or holding the data', () => {
    const reader = new CommandReader();
    const first = reader.push(Buffer.from('A1 LOGIN {99999999999999999999}\r\nA2 APPEND INBOX {4294967296}\r\nA3 NOOP\r\n'));
    assert.deepEqual(first.map((e) => (e.type === 'error' ? `${e.error.tag} ${e.error.status} ${e.error.code}` : e.type)), ['A1 BAD TOOBIG', 'A2 NO TOOBIG', 'command']);
    const discarding = new CommandReader();
    const events = discarding.push(Buffer.from('A1 APPEND INBOX {4294967296+}\r\n'));
    assert.equal(events[0]?.type === 'error' && events[0].error.code, 'TOOBIG');
    for (let i = 0; i < 64; i++) assert.deepEqual(discarding.push(Buffer.alloc(16384, 'z')), []);
    assert.ok(discarding.bufferedBytes < 64);
    const absurd = new CommandReader().push(Buffer.from('A1 X {99999999999999999999+}\r\n'));
    // Answered BAD [TOOBIG], then given up: no data of that size can be skipped.
    assert.deepEqual(absurd.map((e) => e.type === 'error' && e.error.fatal), [false, true]);
  });

  it('refuses deep nesting without recursion trouble', () => {
    const reader = new CommandReader();
    const events = reader.push(Buffer.from(`A1 SEARCH ${'('.repeat(20000)}\r\nA2 NOOP\r\n`));
    assert.deepEqual(events.map((e) => e.type), ['error', 'command']);
  });
});

const COMMAND_NAMES = [
  'CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'AUTHENTICATE', 'LOGIN', 'ENABLE', 'ID', 'COMPRESS', 'SELECT', 'EXAMINE', 'CREATE',
  'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LIST', 'LSUB', 'NAMESPACE', 'STATUS', 'APPEND', 'CHECK', 'CLOSE', 'UNSELECT',
  'IDLE', 'EXPUNGE', 'SEARCH', 'SORT', 'THREAD', 'FETCH', 'STORE', 'COPY', 'MOVE', 'GETQUOTA', 'GETQUOTAROOT', 'SETQUOTA',
  'GETACL', 'SETACL', 'DELETEACL', 'LISTRIGHTS', 'MYRIGHTS', 'UID FETCH', 'UID SEARCH', 'UID STORE', 'UID COPY', 'UID MOVE',
  'UID EXPUNGE', 'UID SORT', 'UID THREAD', 'UID LOGIN',
] as const;
