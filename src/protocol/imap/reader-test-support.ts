// Helpers shared by the reader's tests: drive a CommandReader the way a server does and record a
// comparable transcript. Test-only; nothing in the codec imports it.
import { Buffer } from 'node:buffer';
import { CommandReader } from './command-reader.js';
import type { CommandReaderOptions, ReaderEvent } from './command-reader.js';
import { parseCommand } from './commands/index.js';
import type { ImapCommand, ParsedCommand } from './commands/index.js';
import type { Token } from './tokens.js';

/** A token as plain data: atoms as strings, strings as {s}, lists as arrays. */
export type Plain = string | { s: string } | { lit: string } | { stream: number } | Plain[] | { atom: string; section: Plain[]; partial?: string };

export function plain(token: Token): Plain {
  switch (token.type) {
    case 'atom':
      if (token.section === undefined) return token.value;
      return token.partial === undefined
        ? { atom: token.value, section: token.section.map(plain) }
        : { atom: token.value, section: token.section.map(plain), partial: `${token.partial.start}.${token.partial.length ?? ''}` };
    case 'string': return token.literal ? { lit: token.data.toString('latin1') } : { s: token.data.toString('utf8') };
    case 'streamed-literal': return { stream: token.size };
    case 'list': return token.items.map(plain);
  }
}

export type Entry =
  | { command: string; args: Plain[] }
  | { error: string }
  | { continuation: string }
  | { streamed: number; bytes: number }
  | { line: string };

export interface DriveResult {
  entries: Entry[];
  /** The concatenated data of each streamed literal, by id. */
  streams: Map<number, Buffer>;
  /** The largest value of reader.bufferedBytes seen after any push. */
  maxBuffered: number;
}

export interface DriveOptions {
  /** Answer continuations with rejectLiteral() instead of acceptLiteral(). */
  reject?: (event: Extract<ReaderEvent, { type: 'continuation' }>) => boolean;
  /** After a pausing command: 'line' reads one line then resumes. */
  onPause?: 'resume' | 'line';
}

/** Pushes `input` in chunks of the given sizes (cycled), answering as a server would. */
export function drive(input: Buffer, chunkSizes: readonly number[], options: Partial<CommandReaderOptions> = {}, how: DriveOptions = {}): DriveResult {
  const reader = new CommandReader(options);
  const result: DriveResult = { entries: [], streams: new Map(), maxBuffered: 0 };
  // A server answers the line (or the error in its place) of a readLine() exchange, then resumes.
  let exchanging = false;
  const handle = (events: ReaderEvent[]): void => {
    for (const event of events) {
      switch (event.type) {
        case 'command':
          result.entries.push({ command: `${event.command.tag} ${event.command.name}`, args: event.command.args.map(plain) });
          break;
        case 'error':
          result.entries.push({ error: `${event.error.tag ?? '*'} ${event.error.status}${event.error.code ? ` [${event.error.code}]` : ''}${event.error.fatal ? ' fatal' : ''}` });
          if (exchanging) {
            exchanging = false;
            handle(reader.resume());
          }
          break;
        case 'continuation': {
          const reject = how.reject?.(event) ?? false;
          result.entries.push({ continuation: `${event.tag} ${event.literal.size}${event.literal.streamed ? ' streamed' : ''}${reject ? ' rejected' : ''}` });
          handle(reject ? reader.rejectLiteral() : reader.acceptLiteral());
          break;
        }
        case 'literal-start':
          result.streams.set(event.id, Buffer.alloc(0));
          result.entries.push({ streamed: event.size, bytes: 0 });
          break;
        case 'literal-data': {
          result.streams.set(event.id, Buffer.concat([result.streams.get(event.id)!, event.chunk]));
          const last = result.entries[result.entries.length - 1];
          if (last !== undefined && 'streamed' in last) last.bytes += event.chunk.length;
          break;
        }
        case 'literal-end':
          break;
        case 'line':
          result.entries.push({ line: event.text });
          exchanging = false;
          handle(reader.resume());
          break;
      }
    }
    if (reader.pausedFor === 'command') {
      exchanging = how.onPause === 'line';
      handle(exchanging ? reader.readLine() : reader.resume());
    }
  };
  let offset = 0;
  for (let i = 0; offset < input.length; i++) {
    const size = Math.max(1, chunkSizes[i % chunkSizes.length]!);
    handle(reader.push(input.subarray(offset, offset + size)));
    result.maxBuffered = Math.max(result.maxBuffered, reader.bufferedBytes);
    offset += size;
  }
  return result;
}

/** Reads one command line (CRLF added; synchronizing literals accepted) and parses it. */
export function parseText(line: string | Buffer, utf8 = false): ParsedCommand {
  const reader = new CommandReader();
  const bytes = typeof line === 'string' ? Buffer.from(`${line}\r\n`, 'utf8') : Buffer.concat([line, Buffer.from('\r\n')]);
  const pending = [...reader.push(bytes)];
  while (pending.length > 0) {
    const event = pending.shift()!;
    if (event.type === 'continuation') pending.push(...reader.acceptLiteral());
    else if (event.type === 'command') return parseCommand(event.command, { utf8 });
    else if (event.type === 'error') throw new Error(`reader: ${event.error.text}`);
  }
  throw new Error('reader produced no command');
}

/** The parsed command of a line that must parse. */
export function commandOf(line: string | Buffer, utf8 = false): ImapCommand {
  const parsed = parseText(line, utf8);
  if (!parsed.ok) throw new Error(`expected ${String(line)} to parse: ${parsed.text}`);
  return parsed.command;
}

/** The refusal of a line that must not parse, as "BAD text" or "NO [CODE] text". */
export function refusalOf(line: string | Buffer, utf8 = false): string {
  const parsed = parseText(line, utf8);
  if (parsed.ok) throw new Error(`expected ${String(line)} to be refused`);
  return `${parsed.status}${parsed.code === null ? '' : ` [${parsed.code}]`} ${parsed.text}`;
}
