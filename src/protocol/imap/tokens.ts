// The lexical items of a client command line (RFC 3501 §4, §9): what the command reader yields
// and what every command parser consumes.
import type { Buffer } from 'node:buffer';

/** A `<start.length>` partial range (RFC 3501 §6.4.5); `length` is null in a response's `<origin>`. */
export interface PartialRange {
  readonly start: number;
  readonly length: number | null;
}

/**
 * An atom, including NIL, numbers, sequence sets, flags (`\Seen`) and list patterns (`%`, `*`).
 * BODY, BODY.PEEK, BINARY, BINARY.PEEK and BINARY.SIZE followed by `[` carry their section's
 * tokens in `section` (possibly empty: `BODY[]`) and an optional `<partial>`.
 */
export interface AtomToken {
  readonly type: 'atom';
  readonly value: string;
  readonly section?: readonly Token[];
  readonly partial?: PartialRange;
}

/** A quoted string (`literal` false) or a literal small enough to be buffered. Bytes as sent. */
export interface StringToken {
  readonly type: 'string';
  readonly data: Buffer;
  readonly literal: boolean;
  /** A literal8 `~{n}` (RFC 3516): may carry NUL. */
  readonly binary: boolean;
}

/**
 * Stands for a literal delivered to the caller as `literal-start`/`literal-data`/`literal-end`
 * events rather than held in the command (see CommandReader). `id` matches those events.
 */
export interface StreamedLiteralToken {
  readonly type: 'streamed-literal';
  readonly id: number;
  readonly size: number;
  readonly binary: boolean;
}

export interface ListToken {
  readonly type: 'list';
  readonly items: readonly Token[];
}

export type Token = AtomToken | StringToken | StreamedLiteralToken | ListToken;

/** One complete client command: the tag, the upper-cased first word and the rest as tokens. */
export interface CommandLine {
  readonly tag: string;
  readonly name: string;
  readonly args: readonly Token[];
}

/** True for the atom NIL (a quoted "NIL" is a string, not NIL). */
export function isNil(token: Token | undefined): boolean {
  return token?.type === 'atom' && token.section === undefined && token.value.toUpperCase() === 'NIL';
}

/** A short, log-safe description of a token for error messages (never the content of a literal). */
export function describeToken(token: Token): string {
  switch (token.type) {
    case 'atom': return token.section === undefined ? `atom ${token.value.slice(0, 40)}` : `${token.value}[...]`;
    case 'string': return token.literal ? `literal of ${token.data.length} octets` : 'quoted string';
    case 'streamed-literal': return `literal of ${token.size} octets`;
    case 'list': return 'parenthesized list';
  }
}
