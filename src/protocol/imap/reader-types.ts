// The command reader's options and the events it reports (see command-reader.ts).
import type { Buffer } from 'node:buffer';
import type { CommandLine, Token } from './tokens.js';

export interface CommandReaderOptions {
  /** Octets of one command outside its literals (RFC 7162 §4 suggests at least 8192). */
  readonly maxLineLength: number;
  /** Largest literal accepted at all (for APPEND, the APPENDLIMIT of RFC 7889). */
  readonly maxLiteralSize: number;
  /** Literals above this size are streamed to the caller, never buffered. */
  readonly streamThreshold: number;
  /** Total octets of buffered literals in one command. */
  readonly maxBufferedLiteralBytes: number;
  /** Nesting of parentheses and sections. */
  readonly maxNestingDepth: number;
  /** RFC 7888: which non-synchronizing literals are accepted. */
  readonly nonSyncLiterals: 'LITERAL+' | 'LITERAL-' | 'none';
  /** Upper-cased names of the commands whose large literals may stream (others get BAD [TOOBIG]). */
  readonly streamingCommands: readonly string[];
  /**
   * Commands after which the reader pauses until resume() or readLine(): the bytes after them
   * must not be read as commands (STARTTLS, COMPRESS: RFC 2595 §3.1 / RFC 4978 §3) or are not
   * commands (AUTHENTICATE responses, IDLE's DONE).
   */
  readonly pausingCommands: readonly string[];
}

export const DEFAULT_READER_OPTIONS: CommandReaderOptions = {
  maxLineLength: 64 * 1024,
  maxLiteralSize: 64 * 1024 * 1024,
  streamThreshold: 64 * 1024,
  maxBufferedLiteralBytes: 1024 * 1024,
  maxNestingDepth: 32,
  nonSyncLiterals: 'LITERAL+',
  streamingCommands: ['APPEND'],
  pausingCommands: ['STARTTLS', 'COMPRESS', 'AUTHENTICATE', 'IDLE'],
};

/** RFC 7888 §4: LITERAL- allows non-synchronizing literals of at most 4096 octets. */
export const LITERAL_MINUS_MAX = 4096;

/** A failed command or line. Answer `<tag or *> <status> [<code>] <text>`; if fatal, BYE and close. */
export interface CommandError {
  readonly tag: string | null;
  readonly name: string | null;
  readonly status: 'BAD' | 'NO';
  readonly code: 'TOOBIG' | 'LIMIT' | 'CLIENTBUG' | null;
  readonly text: string;
  readonly fatal: boolean;
}

export interface LiteralInfo {
  readonly size: number;
  readonly binary: boolean;
  /** True when the literal will arrive as literal-start/-data/-end events. */
  readonly streamed: boolean;
}

export type ReaderEvent =
  | { readonly type: 'command'; readonly command: CommandLine }
  /**
   * A synchronizing literal is announced: send "+ Ready for literal data" and call acceptLiteral(),
   * or answer the command with a tagged NO/BAD and call rejectLiteral(). `args` are the arguments
   * read so far (an APPEND's mailbox, flags and date).
   */
  | { readonly type: 'continuation'; readonly tag: string; readonly name: string; readonly args: readonly Token[]; readonly literal: LiteralInfo }
  | { readonly type: 'literal-start'; readonly id: number; readonly tag: string; readonly name: string; readonly args: readonly Token[]; readonly size: number; readonly binary: boolean }
  /** A piece of a streamed literal: a view of the pushed chunk, valid until that chunk is reused. */
  | { readonly type: 'literal-data'; readonly id: number; readonly chunk: Buffer }
  | { readonly type: 'literal-end'; readonly id: number }
  /** A raw line requested with readLine() (an AUTHENTICATE response, IDLE's DONE), without CRLF. */
  | { readonly type: 'line'; readonly text: string }
  | { readonly type: 'error'; readonly error: CommandError };
