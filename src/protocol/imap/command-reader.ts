// The streaming command reader: socket bytes in, complete commands out (RFC 3501 §2.2, §4.3, §7.5;
// RFC 7888 LITERAL+/LITERAL-; RFC 3516 literal8). It never throws on input, never holds a literal
// above `streamThreshold` (those arrive as literal-data events, APPEND of a 35 MB message included),
// and after an error it resynchronizes at the end of the failed command, skipping the data of any
// non-synchronizing literal the client has already sent.
import { Buffer } from 'node:buffer';
import { DEFAULT_READER_OPTIONS, LITERAL_MINUS_MAX } from './reader-types.js';
import type { CommandError, CommandReaderOptions, LiteralInfo, ReaderEvent } from './reader-types.js';
import { LineTokenizer, trailingLiteral } from './tokenizer.js';

export { DEFAULT_READER_OPTIONS, LITERAL_MINUS_MAX } from './reader-types.js';
export type { CommandError, CommandReaderOptions, LiteralInfo, ReaderEvent } from './reader-types.js';

type PauseReason = 'command' | 'continuation' | 'line';

interface LiteralState {
  readonly size: number;
  remaining: number;
  readonly target: 'buffer' | 'stream' | 'discard';
  readonly chunks: Buffer[];
  readonly id: number;
  readonly binary: boolean;
}

const LF = 0x0a;
const TAIL = 32;

export class CommandReader {
  private readonly options: CommandReaderOptions;
  private readonly tokenizer: LineTokenizer;
  private segment: Buffer[] = [];
  private segmentLength = 0;
  private commandBytes = 0;
  private bufferedLiteralBytes = 0;
  private mode: 'segment' | 'literal' | 'skip' = 'segment';
  private literal: LiteralState | null = null;
  private skipTail: Buffer = Buffer.alloc(0);
  /** What is being skipped: the rest of a failed command, or an over-long raw line. */
  private skipping: 'command' | 'line' = 'command';
  private phase: 'command' | 'line' = 'command';
  private paused: PauseReason | null = null;
  private pauseWhenSkipped = false;
  private pending: LiteralInfo | null = null;
  private held: Buffer[] = [];
  private heldLength = 0;
  private nextLiteralId = 1;
  private failed = false;

  constructor(options: Partial<CommandReaderOptions> = {}) {
    this.options = { ...DEFAULT_READER_OPTIONS, ...options };
    this.tokenizer = new LineTokenizer(this.options.maxNestingDepth);
  }

  /** Why the reader is waiting for the caller, or null when it reads on. */
  get pausedFor(): PauseReason | null {
    return this.paused;
  }

  /**
   * An upper bound of the octets the reader holds: the command's text, its buffered literals and
   * input held while paused — at most 2 × maxLineLength + maxBufferedLiteralBytes + the size of
   * the chunk in which it paused.
   */
  get bufferedBytes(): number {
    return this.segmentLength + this.commandBytes + this.bufferedLiteralBytes + this.heldLength;
  }

  /** Feeds socket bytes; returns what they completed, in order. */
  push(chunk: Uint8Array): ReaderEvent[] {
    const events: ReaderEvent[] = [];
    if (this.failed || chunk.length === 0) return events;
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.paused !== null) this.hold(data, events);
    else this.process(data, events);
    return events;
  }

  /** After a continuation event, once "+ …" is sent: the literal's data follows. */
  acceptLiteral(): ReaderEvent[] {
    if (this.paused !== 'continuation' || this.pending === null) throw new Error('acceptLiteral() without a pending literal');
    const events: ReaderEvent[] = [];
    const literal = this.pending;
    this.pending = null;
    this.paused = null;
    this.beginLiteral(literal, events);
    return this.drainHeld(events);
  }

  /** After a continuation event answered with a tagged NO/BAD: the client abandons the command. */
  rejectLiteral(): ReaderEvent[] {
    if (this.paused !== 'continuation') throw new Error('rejectLiteral() without a pending literal');
    this.pending = null;
    this.paused = null;
    this.resetCommand();
    return this.drainHeld([]);
  }

  /** Reads commands again (after a pausing command has been answered, or after readLine()). */
  resume(): ReaderEvent[] {
    return this.unpause('command');
  }

  /** Delivers the next line raw, as a line event, then pauses again. */
  readLine(): ReaderEvent[] {
    return this.unpause('line');
  }

  /**
   * Drops input held while paused and returns its size: after STARTTLS and COMPRESS the bytes that
   * followed the command in plain text must be discarded, never executed (RFC 2595 §3.1).
   */
  discardHeld(): number {
    const n = this.heldLength;
    this.held = [];
    this.heldLength = 0;
    return n;
  }

  private unpause(phase: 'command' | 'line'): ReaderEvent[] {
    if (this.paused === 'continuation') throw new Error('answer the pending literal first');
    this.phase = phase;
    this.pauseWhenSkipped = false;
    if (this.paused === null) return [];
    this.paused = null;
    return this.drainHeld([]);
  }

  /** Input pushed while paused: a client must wait for our answer, so beyond a line's worth it is not waiting. */
  private hold(data: Buffer, events: ReaderEvent[]): void {
    if (this.heldLength + data.length > this.options.maxLineLength) {
      this.fail(events, 'CLIENTBUG', 'Data sent without waiting for the server');
      return;
    }
    this.keep(data);
  }

  /** The rest of a chunk in which the reader paused (as large as the caller's chunk, no larger). */
  private keep(data: Buffer): void {
    this.held.push(Buffer.from(data));
    this.heldLength += data.length;
  }

  private drainHeld(events: ReaderEvent[]): ReaderEvent[] {
    const held = this.held;
    this.held = [];
    this.heldLength = 0;
    for (let i = 0; i < held.length; i++) {
      if (this.failed) break;
      if (this.paused !== null) this.keep(held[i]!);
      else this.process(held[i]!, events);
    }
    return events;
  }

  private process(chunk: Buffer, events: ReaderEvent[]): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.paused !== null) {
        this.keep(chunk.subarray(offset));
        return;
      }
      if (this.failed) return;
      if (this.mode === 'literal') offset = this.readLiteral(chunk, offset, events);
      else if (this.mode === 'skip') offset = this.skip(chunk, offset, events);
      else offset = this.readSegment(chunk, offset, events);
    }
  }

  private readSegment(chunk: Buffer, offset: number, events: ReaderEvent[]): number {
    const lf = chunk.indexOf(LF, offset);
    const end = lf === -1 ? chunk.length : lf;
    const piece = chunk.subarray(offset, end);
    if (this.commandBytes + this.segmentLength + piece.length > this.options.maxLineLength) {
      // RFC 7888 §4 / RFC 4469: a command too long to hold is answered BAD [TOOBIG] and skipped.
      const seen = Buffer.concat([...this.segment, piece]);
      const tag = this.tokenizer.tag ?? leadingTag(seen);
      this.segment = [];
      this.segmentLength = 0;
      this.emitError(events, { tag, status: 'BAD', code: 'TOOBIG', text: 'Command line too long' });
      this.startSkip(seen.subarray(Math.max(0, seen.length - TAIL)));
      return end;
    }
    if (piece.length > 0) {
      this.segment.push(Buffer.from(piece));
      this.segmentLength += piece.length;
    }
    if (lf === -1) return chunk.length;
    let line = this.segment.length === 1 ? this.segment[0]! : Buffer.concat(this.segment);
    this.segment = [];
    this.segmentLength = 0;
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    this.handleSegment(line, events);
    return lf + 1;
  }

  private handleSegment(line: Buffer, events: ReaderEvent[]): void {
    if (this.phase === 'line') {
      events.push({ type: 'line', text: line.toString('utf8') });
      this.paused = 'line';
      return;
    }
    this.commandBytes += line.length + 2;
    const outcome = this.tokenizer.feed(line);
    switch (outcome.kind) {
      case 'empty':
        this.commandBytes = 0;
        return;
      case 'complete': {
        const name = outcome.line.name;
        events.push({ type: 'command', command: outcome.line });
        this.resetCommand();
        if (this.options.pausingCommands.includes(name)) this.paused = 'command';
        return;
      }
      case 'error':
        this.emitError(events, { status: 'BAD', code: outcome.code, text: outcome.text });
        this.skipAnnounced(trailingLiteral(line.subarray(Math.max(0, line.length - TAIL))), events);
        return;
      case 'literal':
        this.announce(outcome, events);
    }
  }

  private announce(literal: { size: number; sync: boolean; binary: boolean }, events: ReaderEvent[]): void {
    const { options } = this;
    const name = this.tokenizer.name ?? '';
    const fail = (status: 'BAD' | 'NO', code: CommandError['code'], text: string): void => {
      this.emitError(events, { status, code, text });
      this.skipAnnounced(literal, events);
    };
    if (!literal.sync && options.nonSyncLiterals === 'none') return fail('BAD', null, 'Non-synchronizing literals are not supported');
    if (!literal.sync && options.nonSyncLiterals === 'LITERAL-' && literal.size > LITERAL_MINUS_MAX) {
      return fail('BAD', 'TOOBIG', `Non-synchronizing literals are limited to ${LITERAL_MINUS_MAX} octets`);
    }
    if (literal.size > options.maxLiteralSize) {
      // RFC 7889 §2: a message above APPENDLIMIT is refused with NO [TOOBIG].
      const streaming = options.streamingCommands.includes(name);
      return fail(streaming ? 'NO' : 'BAD', 'TOOBIG', `Literal larger than ${options.maxLiteralSize} octets`);
    }
    const streamed = literal.size > options.streamThreshold
      || this.bufferedLiteralBytes + literal.size > options.maxBufferedLiteralBytes;
    if (streamed && !options.streamingCommands.includes(name)) {
      return fail('BAD', 'TOOBIG', `Literal too large for ${name || 'this command'}`);
    }
    if (!streamed) this.bufferedLiteralBytes += literal.size;
    const info: LiteralInfo = { size: literal.size, binary: literal.binary, streamed };
    if (literal.sync) {
      this.pending = info;
      this.paused = 'continuation';
      events.push({ type: 'continuation', tag: this.tokenizer.tag!, name, args: this.tokenizer.snapshot(), literal: info });
      return;
    }
    this.beginLiteral(info, events);
  }

  private beginLiteral(info: LiteralInfo, events: ReaderEvent[]): void {
    const id = info.streamed ? this.nextLiteralId++ : 0;
    this.literal = { size: info.size, remaining: info.size, target: info.streamed ? 'stream' : 'buffer', chunks: [], id, binary: info.binary };
    this.mode = 'literal';
    if (info.streamed) {
      events.push({
        type: 'literal-start', id, tag: this.tokenizer.tag!, name: this.tokenizer.name!, args: this.tokenizer.snapshot(),
        size: info.size, binary: info.binary,
      });
    }
    if (info.size === 0) this.finishLiteral(events);
  }

  /** After an error: a non-synchronizing literal's data is on its way and must be skipped too. */
  private skipAnnounced(literal: { size: number; sync: boolean } | null, events: ReaderEvent[]): void {
    if (literal === null || literal.sync) {
      // A synchronizing literal is never sent once the command is answered (RFC 3501 §7.5).
      this.resetCommand();
      return;
    }
    if (!Number.isSafeInteger(literal.size)) {
      this.fail(events, 'TOOBIG', 'Literal size out of range');
      return;
    }
    this.literal = { size: literal.size, remaining: literal.size, target: 'discard', chunks: [], id: 0, binary: false };
    this.mode = 'literal';
    if (literal.size === 0) this.finishLiteral(events);
  }

  private readLiteral(chunk: Buffer, offset: number, events: ReaderEvent[]): number {
    const literal = this.literal!;
    const n = Math.min(literal.remaining, chunk.length - offset);
    const piece = chunk.subarray(offset, offset + n);
    if (literal.target === 'buffer') literal.chunks.push(Buffer.from(piece));
    else if (literal.target === 'stream') events.push({ type: 'literal-data', id: literal.id, chunk: piece });
    literal.remaining -= n;
    if (literal.remaining === 0) this.finishLiteral(events);
    return offset + n;
  }

  private finishLiteral(events: ReaderEvent[]): void {
    const literal = this.literal!;
    this.literal = null;
    if (literal.target === 'discard') {
      this.startSkip(Buffer.alloc(0));
      return;
    }
    this.mode = 'segment';
    if (literal.target === 'stream') {
      events.push({ type: 'literal-end', id: literal.id });
      this.tokenizer.addLiteral({ type: 'streamed-literal', id: literal.id, size: literal.size, binary: literal.binary });
    } else {
      this.tokenizer.addLiteral({ type: 'string', data: Buffer.concat(literal.chunks), literal: true, binary: literal.binary });
    }
  }

  private startSkip(tail: Buffer): void {
    this.mode = 'skip';
    this.skipTail = tail;
    this.skipping = this.phase;
    this.pauseWhenSkipped = this.phase === 'line';
  }

  private skip(chunk: Buffer, offset: number, events: ReaderEvent[]): number {
    const lf = chunk.indexOf(LF, offset);
    const end = lf === -1 ? chunk.length : lf;
    const joined = Buffer.concat([this.skipTail, chunk.subarray(Math.max(offset, end - TAIL), end)]);
    this.skipTail = joined.subarray(Math.max(0, joined.length - TAIL));
    if (lf === -1) return chunk.length;
    let tail = this.skipTail;
    if (tail.length > 0 && tail[tail.length - 1] === 0x0d) tail = tail.subarray(0, tail.length - 1);
    this.skipTail = Buffer.alloc(0);
    if (this.skipping === 'line') {
      this.mode = 'segment';
      if (this.pauseWhenSkipped) this.paused = 'line';
      this.pauseWhenSkipped = false;
    } else {
      this.skipAnnounced(trailingLiteral(tail), events);
    }
    return lf + 1;
  }

  private resetCommand(): void {
    this.tokenizer.reset();
    this.commandBytes = 0;
    this.bufferedLiteralBytes = 0;
    this.mode = 'segment';
    this.literal = null;
  }

  private emitError(events: ReaderEvent[], e: { tag?: string | null; status: 'BAD' | 'NO'; code: CommandError['code']; text: string }): void {
    const tag = e.tag !== undefined ? e.tag : this.tokenizer.tag;
    const name = this.phase === 'line' ? null : this.tokenizer.name;
    events.push({ type: 'error', error: { tag: this.phase === 'line' ? null : tag, name, status: e.status, code: e.code, text: e.text, fatal: false } });
  }

  private fail(events: ReaderEvent[], code: CommandError['code'], text: string): void {
    this.failed = true;
    this.held = [];
    this.heldLength = 0;
    events.push({ type: 'error', error: { tag: null, name: null, status: 'BAD', code, text, fatal: true } });
  }
}

/** The tag at the start of an over-long line, if it looks like one. */
function leadingTag(line: Buffer): string | null {
  const m = /^([!#$&',\-./0-9:;<=>?@A-Z[\]^_`a-z|}~]+) /.exec(line.toString('latin1', 0, Math.min(line.length, 128)));
  return m === null ? null : m[1]!;
}
