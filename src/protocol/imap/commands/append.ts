// APPEND (RFC 3501 §6.3.11) with MULTIAPPEND (RFC 3502), literal8 (RFC 3516 §4.4) and the UTF8
// data extension of UTF8=ACCEPT (RFC 6855 §4). The message data is a literal: buffered when small,
// streamed (a StreamedLiteralToken) when large — see CommandReader.
import type { Buffer } from 'node:buffer';
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext, ParseContext } from '../arguments.js';
import { parseDateTime } from '../date-time.js';
import { normalizeStoreFlag } from '../flags.js';
import type { Token } from '../tokens.js';

export type MessageData =
  | { readonly kind: 'buffered'; readonly data: Buffer; readonly binary: boolean }
  /** Delivered by the reader's literal-start/-data/-end events with this id. */
  | { readonly kind: 'streamed'; readonly id: number; readonly size: number; readonly binary: boolean };

export interface AppendOptions {
  /** Normalized flags (system flags in canonical case, keywords as written). */
  readonly flags: readonly string[];
  readonly internalDate: Date | null;
  /** Sent as `UTF8 (~{n}...)` (RFC 6855 §4): the message may carry UTF-8 headers. */
  readonly utf8: boolean;
}

export interface AppendMessage extends AppendOptions {
  readonly data: MessageData;
}

export interface AppendCommand {
  readonly name: 'APPEND';
  readonly mailbox: string;
  /** One message, or several with MULTIAPPEND (appended all or none, RFC 3502 §3). */
  readonly messages: readonly AppendMessage[];
}

/** Flags (RFC 3501 §9 flag-list) for APPEND and STORE: no \Recent, no unknown \-flags. */
export function readFlagList(list: ArgumentCursor): string[] {
  const flags: string[] = [];
  while (list.remaining > 0) {
    const text = list.atom('flag');
    const flag = normalizeStoreFlag(text);
    if (flag === null) throw new BadCommand(`Invalid flag ${text.slice(0, 40)}`);
    if (!flags.includes(flag)) flags.push(flag);
  }
  return flags;
}

function readOptions(cursor: ArgumentCursor): { flags: string[]; internalDate: Date | null } {
  let flags: string[] = [];
  let internalDate: Date | null = null;
  const flagList = cursor.optionalList();
  if (flagList !== null) flags = readFlagList(flagList);
  const next = cursor.peek();
  if (next?.type === 'string' && !next.literal) {
    const text = cursor.string('date-time');
    internalDate = parseDateTime(text);
    if (internalDate === null) throw new BadCommand(`Invalid date-time "${text.slice(0, 40)}": expected "dd-Mon-yyyy hh:mm:ss +zzzz"`);
  }
  return { flags, internalDate };
}

function readData(cursor: ArgumentCursor): { data: MessageData; utf8: boolean } {
  let utf8 = false;
  let source = cursor;
  if (cursor.acceptKeyword('UTF8')) {
    utf8 = true;
    source = cursor.list('UTF8 message data');
  }
  const t = source.literal('message');
  if (utf8) {
    if (!t.binary) throw new BadCommand('UTF8 message data must be a literal8 ~{n} (RFC 6855 §4)');
    source.end();
  }
  const data: MessageData = t.type === 'string'
    ? { kind: 'buffered', data: t.data, binary: t.binary }
    : { kind: 'streamed', id: t.id, size: t.size, binary: t.binary };
  return { data, utf8 };
}

export function parseAppend(args: readonly Token[], context: CommandContext): AppendCommand {
  const cursor = new ArgumentCursor(args, context);
  const mailbox = cursor.mailbox();
  const messages: AppendMessage[] = [];
  do {
    const options = readOptions(cursor);
    const { data, utf8 } = readData(cursor);
    messages.push({ ...options, utf8, data });
  } while (cursor.remaining > 0);
  return { name: 'APPEND', mailbox, messages };
}

export interface PendingAppend extends AppendOptions {
  readonly mailbox: string;
  /** Which message of a MULTIAPPEND the announced literal is, from 0. */
  readonly index: number;
}

/**
 * The message an APPEND literal is about to carry, from the arguments read so far (a reader
 * continuation or literal-start event): lets the server refuse before the data comes — NO
 * [TRYCREATE] for a missing mailbox (RFC 3501 §6.3.11), NO [TOOBIG] or [OVERQUOTA].
 */
export function describePendingAppend(argsSoFar: readonly Token[], context: ParseContext): PendingAppend {
  const cursor = new ArgumentCursor(argsSoFar, context);
  const mailbox = cursor.mailbox();
  for (let index = 0; ; index++) {
    const options = readOptions(cursor);
    if (cursor.remaining === 0) return { mailbox, index, ...options, utf8: false };
    if (cursor.peekAtom() === 'UTF8' && cursor.remaining === 2) {
      cursor.next('UTF8');
      const list = cursor.list('UTF8 message data');
      list.end();
      return { mailbox, index, ...options, utf8: true };
    }
    readData(cursor);
  }
}
