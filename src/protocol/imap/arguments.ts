// A cursor over a command's tokens with the argument types of RFC 3501 §9 (atom, astring,
// nstring, number, sequence set, mailbox…). Each reader throws BadCommand with a reason a client
// can act on; the command registry turns it into `<tag> BAD <reason>`.
import type { Buffer } from 'node:buffer';
import { decodeMailboxName } from './mailbox-name.js';
import { parseSequenceSet } from './sequence-set.js';
import type { SequenceSet } from './sequence-set.js';
import { describeToken, isNil } from './tokens.js';
import type { StreamedLiteralToken, StringToken, Token } from './tokens.js';

/** What a parser needs to know of the session. */
export interface ParseContext {
  /** UTF8=ACCEPT is enabled (RFC 6855): mailbox names are UTF-8, not modified UTF-7. */
  readonly utf8: boolean;
}

/**
 * A command refused while parsing: answered `<status> [code] text`. Status is BAD for a command
 * that does not follow the grammar; NO only where an RFC says so for a well-formed command the
 * codec cannot serve (an unsupported SEARCH charset: NO [BADCHARSET], RFC 3501 §6.4.4).
 */
export class BadCommand extends Error {
  constructor(
    text: string,
    readonly code: 'CLIENTBUG' | 'TOOBIG' | 'LIMIT' | 'BADCHARSET' | null = null,
    readonly status: 'BAD' | 'NO' = 'BAD',
  ) {
    super(text);
    this.name = 'BadCommand';
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes a string token as UTF-8 (RFC 9051 §4.3, RFC 6855); BAD when it is not valid UTF-8. */
export function decodeUtf8(data: Buffer, what: string): string {
  try {
    return utf8Decoder.decode(data);
  } catch {
    throw new BadCommand(`${what} is not valid UTF-8`);
  }
}

/** RFC 7162 §3.1.1 mod-sequence-value: 1*DIGIT up to 2^63-1. */
const MAX_MODSEQ = 2n ** 63n - 1n;

export class ArgumentCursor {
  private index = 0;

  constructor(private readonly tokens: readonly Token[], private readonly context: ParseContext) {}

  get remaining(): number {
    return this.tokens.length - this.index;
  }

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  /** The next token's atom value upper-cased, or null when the next token is not a plain atom. */
  peekAtom(): string | null {
    const t = this.peek();
    return t?.type === 'atom' && t.section === undefined ? t.value.toUpperCase() : null;
  }

  next(what: string): Token {
    const t = this.tokens[this.index];
    if (t === undefined) throw new BadCommand(`Missing ${what}`);
    this.index++;
    return t;
  }

  /** Throws unless every token has been read. */
  end(): void {
    const t = this.peek();
    if (t !== undefined) throw new BadCommand(`Unexpected ${describeToken(t)} after the arguments`);
  }

  /** A plain atom, as written. */
  atom(what: string): string {
    const t = this.next(what);
    if (t.type !== 'atom' || t.section !== undefined) throw new BadCommand(`Expected ${what}, got ${describeToken(t)}`);
    return t.value;
  }

  /** A plain atom, upper-cased (keywords such as FLAGS, RETURN, CHARSET). */
  keyword(what: string): string {
    return this.atom(what).toUpperCase();
  }

  /** Consumes the next token if it is the atom `word` (case-insensitive). */
  acceptKeyword(word: string): boolean {
    if (this.peekAtom() !== word) return false;
    this.index++;
    return true;
  }

  /** A quoted string or literal, as bytes. */
  bytes(what: string): Buffer {
    const t = this.next(what);
    if (t.type !== 'string') throw new BadCommand(`Expected ${what} as a string, got ${describeToken(t)}`);
    return t.data;
  }

  /** A quoted string or literal, as text. */
  string(what: string): string {
    return decodeUtf8(this.bytes(what), what);
  }

  /** RFC 3501 astring: an atom or a string. */
  astring(what: string): string {
    const t = this.next(what);
    if (t.type === 'string') return decodeUtf8(t.data, what);
    if (t.type === 'atom' && t.section === undefined) return t.value;
    throw new BadCommand(`Expected ${what}, got ${describeToken(t)}`);
  }

  /** RFC 3501 nstring: NIL or a string. */
  nstring(what: string): string | null {
    if (isNil(this.peek())) {
      this.index++;
      return null;
    }
    return this.string(what);
  }

  /** RFC 3501 number: 0..4294967295. */
  number(what: string): number {
    const text = this.atom(what);
    if (!/^[0-9]{1,10}$/.test(text) || Number(text) > 0xffffffff) throw new BadCommand(`Invalid ${what}: ${text.slice(0, 20)}`);
    return Number(text);
  }

  /** RFC 3501 nz-number: 1..4294967295. */
  nzNumber(what: string): number {
    const n = this.number(what);
    if (n === 0) throw new BadCommand(`Invalid ${what}: 0`);
    return n;
  }

  /**
   * RFC 7162 mod-sequence-value (0..2^63-1). Values above Number.MAX_SAFE_INTEGER are clamped to
   * it: this server never assigns one that large, so every comparison with its own mod-sequences
   * (CHANGEDSINCE, UNCHANGEDSINCE, SEARCH MODSEQ, QRESYNC) comes out the same.
   */
  modSequence(what: string): number {
    const text = this.atom(what);
    if (!/^[0-9]{1,19}$/.test(text) || BigInt(text) > MAX_MODSEQ) throw new BadCommand(`Invalid ${what}: ${text.slice(0, 24)}`);
    return Math.min(Number(text), Number.MAX_SAFE_INTEGER);
  }

  sequenceSet(what: string): SequenceSet {
    const text = this.atom(what);
    const set = parseSequenceSet(text);
    if (set === null) throw new BadCommand(`Invalid ${what}: ${text.slice(0, 40)}`);
    return set;
  }

  /** A parenthesized list as a cursor of its own. */
  list(what: string): ArgumentCursor {
    const t = this.next(what);
    if (t.type !== 'list') throw new BadCommand(`Expected ${what} in parentheses, got ${describeToken(t)}`);
    return new ArgumentCursor(t.items, this.context);
  }

  /** The next token as a list cursor if it is a list; otherwise nothing is consumed. */
  optionalList(): ArgumentCursor | null {
    const t = this.peek();
    if (t?.type !== 'list') return null;
    this.index++;
    return new ArgumentCursor(t.items, this.context);
  }

  /** A mailbox name (RFC 3501 §5.1): decoded from modified UTF-7 or UTF-8, INBOX normalized. */
  mailbox(what = 'mailbox name'): string {
    const wire = this.astring(what);
    const name = decodeMailboxName(wire, this.context.utf8);
    if (name === null) {
      throw new BadCommand(this.context.utf8 ? `Invalid ${what}` : `Invalid ${what}: not valid modified UTF-7 (RFC 3501 §5.1.3)`);
    }
    return name;
  }

  /** A list-mailbox pattern (RFC 3501 §6.3.8): like a mailbox name, with % and * allowed. */
  pattern(what = 'mailbox pattern'): string {
    return this.mailbox(what);
  }

  /** A literal (buffered or streamed), as APPEND's message data. */
  literal(what: string): StringToken | StreamedLiteralToken {
    const t = this.next(what);
    if (t.type === 'streamed-literal' || (t.type === 'string' && t.literal)) return t;
    throw new BadCommand(`Expected ${what} as a literal, got ${describeToken(t)}`);
  }

  /** Every remaining token as a plain atom. */
  restAsAtoms(what: string): string[] {
    const out: string[] = [];
    while (this.remaining > 0) out.push(this.atom(what));
    return out;
  }
}

/** What every command parser receives besides its tokens. */
export interface CommandContext extends ParseContext {
  /** The command came as `UID <name>` (RFC 3501 §6.4.8). */
  readonly uid: boolean;
}
