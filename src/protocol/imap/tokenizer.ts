// Splits the text of one command into tokens (RFC 3501 §4, §9). The command reader feeds it one
// segment at a time — the bytes up to a CRLF — so a command whose literals split it into several
// segments keeps its open lists across them; a segment ending in a literal announcement asks the
// reader for the literal, which comes back through addLiteral().
import { Buffer } from 'node:buffer';
import type { AtomToken, CommandLine, PartialRange, StreamedLiteralToken, StringToken, Token } from './tokens.js';

export type SegmentOutcome =
  | { readonly kind: 'complete'; readonly line: CommandLine }
  | { readonly kind: 'literal'; readonly size: number; readonly sync: boolean; readonly binary: boolean }
  | { readonly kind: 'error'; readonly text: string; readonly code: 'LIMIT' | null }
  /** A blank line where a command would start. */
  | { readonly kind: 'empty' };

const SP = 0x20;
const DQUOTE = 0x22;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const TILDE = 0x7e;
const LT = 0x3c;

/** Atoms that open a section with `[` (RFC 3501 §6.4.5, RFC 3516 §4.2). */
const SECTION_OWNERS = new Set(['BODY', 'BODY.PEEK', 'BINARY', 'BINARY.PEEK', 'BINARY.SIZE']);

// Lenient atom: any visible ASCII except the characters that start or end another token.
// The parsers apply the stricter grammar of each argument (flag, sequence set, list-mailbox…).
function isAtomByte(b: number): boolean {
  return b > 0x20 && b < 0x7f && b !== LPAREN && b !== RPAREN && b !== LBRACE && b !== DQUOTE;
}

// RFC 3501 §9: tag = 1*<any ASTRING-CHAR except "+">.
function isTagByte(b: number): boolean {
  return isAtomByte(b) && b !== 0x25 && b !== 0x2a && b !== BACKSLASH && b !== 0x2b;
}

function isNameByte(b: number): boolean {
  return isTagByte(b) && b !== LBRACKET && b !== RBRACKET;
}

const LITERAL_ANNOUNCEMENT = /^(~?)\{([0-9]{1,20})(\+?)\}$/;

interface Frame {
  readonly items: Token[];
  /** RPAREN for a list, RBRACKET for a section. */
  readonly close: number;
  /** The atom that opened a section, e.g. "BODY.PEEK". */
  readonly owner: string;
}

class TokenizeError {
  constructor(readonly text: string, readonly code: 'LIMIT' | null = null) {}
}

export class LineTokenizer {
  /** The command's tag once read (also on error, when it was read). */
  tag: string | null = null;
  /** The upper-cased command name once read. */
  name: string | null = null;
  private frames: Frame[] = [{ items: [], close: 0, owner: '' }];
  private sections = 0;
  private expectSeparator = false;

  constructor(private readonly maxDepth: number) {}

  reset(): void {
    this.tag = null;
    this.name = null;
    this.frames = [{ items: [], close: 0, owner: '' }];
    this.sections = 0;
    this.expectSeparator = false;
  }

  /** True once a command has started (its tag has been read). */
  get started(): boolean {
    return this.tag !== null;
  }

  /** Tokenizes one segment (without its CRLF). */
  feed(segment: Buffer): SegmentOutcome {
    try {
      let i = 0;
      if (this.tag === null) {
        if (segment.length === 0) return { kind: 'empty' };
        i = this.readTagAndName(segment);
      }
      return this.readArguments(segment, i);
    } catch (error) {
      if (error instanceof TokenizeError) return { kind: 'error', text: error.text, code: error.code };
      throw error;
    }
  }

  /** Adds the literal the last segment announced, in the place it was announced. */
  addLiteral(token: StringToken | StreamedLiteralToken): void {
    this.top().items.push(token);
    this.expectSeparator = true;
  }

  /** The arguments read so far, open lists included as they stand (for a literal's context). */
  snapshot(): Token[] {
    let carried: Token | null = null;
    for (let f = this.frames.length - 1; f >= 0; f--) {
      const frame = this.frames[f]!;
      const items = frame.items.slice();
      if (carried !== null) items.push(carried);
      if (f === 0) return items;
      carried = frame.close === RPAREN ? { type: 'list', items } : { type: 'atom', value: frame.owner, section: items };
    }
    return [];
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  private readTagAndName(s: Buffer): number {
    let j = 0;
    while (j < s.length && isTagByte(s[j]!)) j++;
    if (j === 0) throw new TokenizeError('Missing or invalid tag');
    if (j < s.length && s[j] !== SP) throw new TokenizeError('Invalid character in tag');
    this.tag = s.toString('latin1', 0, j);
    if (j === s.length) throw new TokenizeError('Missing command');
    let start = j + 1;
    while (s[start] === SP) start++;
    let k = start;
    while (k < s.length && isNameByte(s[k]!)) k++;
    if (k === start) throw new TokenizeError('Missing command');
    if (k < s.length && s[k] !== SP) throw new TokenizeError('Invalid character in command name');
    this.name = s.toString('latin1', start, k).toUpperCase();
    return k;
  }

  private readArguments(s: Buffer, from: number): SegmentOutcome {
    let i = from;
    while (i < s.length) {
      const c = s[i]!;
      if (c === SP) {
        // Extra spaces are tolerated: they cost nothing and some clients send them.
        this.expectSeparator = false;
        i++;
        continue;
      }
      const frame = this.top();
      if (c === RPAREN || (c === RBRACKET && frame.close === RBRACKET)) {
        i = this.close(s, i, c);
        continue;
      }
      // ")(" is how responses write adjacent lists (ENVELOPE addresses, THREAD); accepted here too.
      if (this.expectSeparator && !(c === LPAREN && s[i - 1] === RPAREN)) {
        throw new TokenizeError(c < 0x20 || c > 0x7e ? invalidCharacter(c) : 'Missing space between arguments');
      }
      if (c === LPAREN) {
        this.open(RPAREN, '');
        i++;
      } else if (c === DQUOTE) {
        i = this.readQuoted(s, i);
      } else if (c === LBRACE || (c === TILDE && s[i + 1] === LBRACE)) {
        const m = LITERAL_ANNOUNCEMENT.exec(s.toString('latin1', i));
        if (m === null) throw new TokenizeError('Invalid literal: a literal is {n} or {n+} (~{n} for literal8) at the end of a line');
        return { kind: 'literal', size: Number(m[2]), sync: m[3] !== '+', binary: m[1] === '~' };
      } else {
        i = this.readAtom(s, i);
      }
    }
    if (this.frames.length > 1) {
      throw new TokenizeError(this.top().close === RPAREN ? 'Missing ")"' : 'Missing "]"');
    }
    return { kind: 'complete', line: { tag: this.tag!, name: this.name!, args: this.frames[0]!.items } };
  }

  private open(close: number, owner: string): void {
    if (this.frames.length > this.maxDepth) throw new TokenizeError('Too deeply nested', 'LIMIT');
    this.frames.push({ items: [], close, owner });
    if (close === RBRACKET) this.sections++;
    this.expectSeparator = false;
  }

  private close(s: Buffer, at: number, c: number): number {
    const frame = this.top();
    if (this.frames.length === 1 || frame.close !== c) throw new TokenizeError('Unexpected ")"');
    this.frames.pop();
    let i = at + 1;
    let token: Token;
    if (c === RPAREN) {
      token = { type: 'list', items: frame.items };
    } else {
      this.sections--;
      let partial: PartialRange | undefined;
      if (s[i] === LT) [partial, i] = readPartial(s, i);
      token = partial === undefined
        ? { type: 'atom', value: frame.owner, section: frame.items }
        : { type: 'atom', value: frame.owner, section: frame.items, partial };
    }
    this.top().items.push(token);
    this.expectSeparator = true;
    return i;
  }

  private readQuoted(s: Buffer, at: number): number {
    const pieces: Buffer[] = [];
    let start = at + 1;
    for (let i = start; i < s.length; i++) {
      const b = s[i]!;
      if (b === DQUOTE) {
        pieces.push(s.subarray(start, i));
        const data = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
        this.top().items.push({ type: 'string', data, literal: false, binary: false });
        this.expectSeparator = true;
        return i + 1;
      }
      if (b === BACKSLASH) {
        // RFC 3501 §9: only \" and \\ are quoted-specials.
        const next = s[i + 1];
        if (next !== DQUOTE && next !== BACKSLASH) throw new TokenizeError('Invalid escape in quoted string');
        pieces.push(s.subarray(start, i));
        start = i + 1;
        i++;
      } else if (b === 0 || b === 0x0d || b === 0x0a) {
        throw new TokenizeError('Invalid character in quoted string');
      }
    }
    throw new TokenizeError('Unterminated quoted string');
  }

  private readAtom(s: Buffer, at: number): number {
    let i = at;
    while (i < s.length) {
      const b = s[i]!;
      if (b === LBRACKET && i > at) {
        const owner = s.toString('latin1', at, i);
        if (SECTION_OWNERS.has(owner.toUpperCase())) {
          this.open(RBRACKET, owner);
          return i + 1;
        }
      }
      if (!isAtomByte(b) || (b === RBRACKET && this.sections > 0)) break;
      i++;
    }
    if (i === at) throw new TokenizeError(invalidCharacter(s[at]!));
    const token: AtomToken = { type: 'atom', value: s.toString('latin1', at, i) };
    this.top().items.push(token);
    this.expectSeparator = true;
    return i;
  }
}

function invalidCharacter(b: number): string {
  return `Invalid character 0x${b.toString(16).padStart(2, '0')}${b > 0x7f ? ' (8-bit text must be a quoted string or a literal)' : ''}`;
}

const PARTIAL = /^<([0-9]{1,10})(?:\.([0-9]{1,10}))?>/;

function readPartial(s: Buffer, at: number): [PartialRange, number] {
  const m = PARTIAL.exec(s.toString('latin1', at, Math.min(s.length, at + 24)));
  if (m === null) throw new TokenizeError('Invalid partial range: expected <offset.length>');
  const start = Number(m[1]);
  const length = m[2] === undefined ? null : Number(m[2]);
  if (start > 0xffffffff || (length !== null && length > 0xffffffff)) throw new TokenizeError('Partial range out of bounds');
  return [{ start, length }, at + m[0].length];
}

/** The literal a line announces at its end, found without tokenizing it (to skip a failed command). */
export function trailingLiteral(tail: Buffer): { size: number; sync: boolean } | null {
  const m = /(?:^|[ ()[\]])~?\{([0-9]{1,20})(\+?)\}$/.exec(tail.toString('latin1'));
  return m === null ? null : { size: Number(m[1]), sync: m[2] !== '+' };
}
