// Server responses as data (RFC 3501 §7 and the extensions' response sections). Build one of these,
// hand it to encodeResponse()/writeResponse(); nothing else writes IMAP syntax.
import type { Readable } from 'node:stream';
import type { BodyPart, Envelope } from '../mime/index.js';
import type { BodySection } from './body-section.js';
import type { StatusItem } from './commands/status.js';

/** Response codes without arguments (RFC 3501 §7.1, RFC 5530, RFC 7162, RFC 4315, RFC 6154 …). */
export type SimpleResponseCode =
  | 'ALERT' | 'PARSE' | 'READ-ONLY' | 'READ-WRITE' | 'TRYCREATE'
  | 'NOMODSEQ' | 'CLOSED' | 'UIDNOTSTICKY' | 'TOOBIG' | 'USEATTR' | 'HASCHILDREN' | 'COMPRESSIONACTIVE' | 'UNKNOWN-CTE'
  | 'UNAVAILABLE' | 'AUTHENTICATIONFAILED' | 'AUTHORIZATIONFAILED' | 'EXPIRED' | 'PRIVACYREQUIRED' | 'CONTACTADMIN'
  | 'NOPERM' | 'INUSE' | 'EXPUNGEISSUED' | 'CORRUPTION' | 'SERVERBUG' | 'CLIENTBUG' | 'CANNOT' | 'LIMIT'
  | 'OVERQUOTA' | 'ALREADYEXISTS' | 'NONEXISTENT';

export type ResponseCode =
  | { readonly code: SimpleResponseCode }
  /** RFC 3501 §7.1: the charsets SEARCH supports (may be empty). */
  | { readonly code: 'BADCHARSET'; readonly charsets: readonly string[] }
  | { readonly code: 'CAPABILITY'; readonly capabilities: readonly string[] }
  /** Flags as atoms; include "\\*" when new keywords may be created. */
  | { readonly code: 'PERMANENTFLAGS'; readonly flags: readonly string[] }
  | { readonly code: 'UIDNEXT' | 'UIDVALIDITY' | 'UNSEEN' | 'HIGHESTMODSEQ'; readonly value: number }
  /** RFC 4315 §3: the UIDs given to appended messages, in order. */
  | { readonly code: 'APPENDUID'; readonly uidValidity: number; readonly uids: readonly number[] }
  /** RFC 4315 §3: source and destination UIDs, pairwise in the same order. */
  | { readonly code: 'COPYUID'; readonly uidValidity: number; readonly sourceUids: readonly number[]; readonly destinationUids: readonly number[] }
  /** RFC 7162 §3.1.3: messages (numbers or UIDs, as the command used) not stored for UNCHANGEDSINCE. */
  | { readonly code: 'MODIFIED'; readonly numbers: readonly number[] };

export type StatusCondition = 'OK' | 'NO' | 'BAD' | 'PREAUTH' | 'BYE';

export interface StatusResponse {
  readonly type: 'status';
  /** Null for an untagged (`*`) response. */
  readonly tag: string | null;
  readonly status: StatusCondition;
  readonly code?: ResponseCode;
  /** Human-readable text; CR and LF are replaced by spaces. */
  readonly text: string;
}

export interface ContinuationResponse {
  readonly type: 'continuation';
  /** Text, or for AUTHENTICATE a SASL challenge given as bytes (sent base64). */
  readonly text: string | Uint8Array;
}

/** Octets to send as a literal without holding them: the stream must yield exactly `size` octets. */
export interface StreamedBody {
  readonly stream: Readable | AsyncIterable<Uint8Array>;
  readonly size: number;
}

/** Section content: bytes, text (sent as UTF-8), a stream, or null for NIL. */
export type BodyData = Uint8Array | string | StreamedBody | null;

export type FetchResponseItem =
  | { readonly type: 'UID'; readonly uid: number }
  | { readonly type: 'FLAGS'; readonly flags: readonly string[] }
  /** `offsetMinutes`: the zone to write the date in, east of UTC (default 0). */
  | { readonly type: 'INTERNALDATE'; readonly date: Date; readonly offsetMinutes?: number }
  | { readonly type: 'RFC822.SIZE'; readonly size: number }
  | { readonly type: 'MODSEQ'; readonly modSeq: number }
  /** The envelope, or its IMAP form already serialized (as cached at delivery). */
  | { readonly type: 'ENVELOPE'; readonly envelope: Envelope | string }
  | { readonly type: 'BODYSTRUCTURE' | 'BODY'; readonly body: BodyPart | string }
  /** `origin`: the start of a partial fetch, written `<origin>` (RFC 3501 §7.4.2). */
  | { readonly type: 'BODY[]'; readonly section: BodySection; readonly origin: number | null; readonly data: BodyData }
  /** Always sent as literal8 (RFC 3516 §4.3: the content may hold NUL). */
  | { readonly type: 'BINARY[]'; readonly part: readonly number[]; readonly origin: number | null; readonly data: BodyData }
  | { readonly type: 'BINARY.SIZE'; readonly part: readonly number[]; readonly size: number }
  | { readonly type: 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT'; readonly data: BodyData };

/** A THREAD tree node (RFC 5256 §4); `id` null for a missing parent that groups its children. */
export interface ThreadNode {
  readonly id: number | null;
  readonly children: readonly ThreadNode[];
}

/** One namespace (RFC 2342 §5): prefix and hierarchy delimiter. */
export interface NamespaceEntry {
  readonly prefix: string;
  readonly delimiter: string | null;
}

export interface QuotaResource {
  /** e.g. STORAGE (in units of 1024 octets, RFC 9208 §5.1), MESSAGE. */
  readonly name: string;
  readonly usage: number;
  readonly limit: number;
}

export type DataResponse =
  | { readonly type: 'CAPABILITY' | 'ENABLED'; readonly capabilities: readonly string[] }
  | {
    readonly type: 'LIST' | 'LSUB';
    /** e.g. \HasNoChildren, \Subscribed, \Drafts, \NonExistent. */
    readonly attributes: readonly string[];
    readonly delimiter: string | null;
    readonly mailbox: string;
    /** RFC 5258 §4: CHILDINFO extended data, e.g. ["SUBSCRIBED"]. */
    readonly childInfo?: readonly string[];
    /** RFC 9051 §7.3.1 / RFC 5465: OLDNAME extended data after a rename. */
    readonly oldName?: string;
  }
  /** Items in the order given. */
  | { readonly type: 'STATUS'; readonly mailbox: string; readonly items: Partial<Readonly<Record<StatusItem, number>>> }
  | { readonly type: 'EXISTS' | 'RECENT'; readonly count: number }
  | { readonly type: 'EXPUNGE'; readonly sequence: number }
  /** RFC 7162 §3.2.10. */
  | { readonly type: 'VANISHED'; readonly earlier: boolean; readonly uids: readonly number[] }
  | { readonly type: 'FLAGS'; readonly flags: readonly string[] }
  /** RFC 7162 §3.1.5: `modSeq` is the highest mod-sequence of the results, sent when there are some. */
  | { readonly type: 'SEARCH' | 'SORT'; readonly numbers: readonly number[]; readonly modSeq?: number }
  /** RFC 4731 §3.1; `tag` correlates it with the command. ALL is omitted when empty. */
  | {
    readonly type: 'ESEARCH';
    readonly tag: string | null;
    readonly uid: boolean;
    readonly min?: number;
    readonly max?: number;
    readonly count?: number;
    readonly all?: readonly number[];
    readonly modSeq?: number;
  }
  | { readonly type: 'THREAD'; readonly threads: readonly ThreadNode[] }
  | { readonly type: 'FETCH'; readonly sequence: number; readonly items: readonly FetchResponseItem[] }
  | {
    readonly type: 'NAMESPACE';
    readonly personal: readonly NamespaceEntry[] | null;
    readonly other: readonly NamespaceEntry[] | null;
    readonly shared: readonly NamespaceEntry[] | null;
  }
  | { readonly type: 'QUOTA'; readonly root: string; readonly resources: readonly QuotaResource[] }
  | { readonly type: 'QUOTAROOT'; readonly mailbox: string; readonly roots: readonly string[] }
  | { readonly type: 'ACL'; readonly mailbox: string; readonly entries: ReadonlyArray<{ readonly identifier: string; readonly rights: string }> }
  | { readonly type: 'LISTRIGHTS'; readonly mailbox: string; readonly identifier: string; readonly required: string; readonly optional: readonly string[] }
  | { readonly type: 'MYRIGHTS'; readonly mailbox: string; readonly rights: string }
  | { readonly type: 'ID'; readonly parameters: ReadonlyArray<readonly [string, string | null]> | null };

export type Response = StatusResponse | ContinuationResponse | DataResponse;

export interface SerializeOptions {
  /** UTF8=ACCEPT is enabled: mailbox names in UTF-8 and UTF-8 in quoted strings (RFC 6855 §3). */
  readonly utf8?: boolean;
}
