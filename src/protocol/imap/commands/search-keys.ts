// The search-key grammar of RFC 3501 §6.4.4 with MODSEQ (RFC 7162 §3.1.5) and OLDER/YOUNGER
// (RFC 5032), shared by SEARCH, SORT and THREAD. Keys are normalized so that a server evaluates
// fewer shapes: ANSWERED…UNSEEN, KEYWORD and UNKEYWORD become `flag`; NEW and OLD are spelled
// out; FROM, TO, CC, BCC and SUBJECT become `header`.
import { ArgumentCursor, BadCommand } from '../arguments.js';
import { parseSearchDate } from '../date-time.js';
import { normalizeStoreFlag } from '../flags.js';
import { parseSequenceSet } from '../sequence-set.js';
import type { SequenceSet } from '../sequence-set.js';

export type SearchKey =
  | { readonly key: 'all' }
  | { readonly key: 'and'; readonly keys: readonly SearchKey[] }
  | { readonly key: 'or'; readonly left: SearchKey; readonly right: SearchKey }
  | { readonly key: 'not'; readonly inner: SearchKey }
  | { readonly key: 'sequence'; readonly set: SequenceSet }
  | { readonly key: 'uid'; readonly set: SequenceSet }
  /** A flag is (present) or is not set: system flags in canonical case, keywords as written. */
  | { readonly key: 'flag'; readonly flag: string; readonly present: boolean }
  | { readonly key: 'recent' }
  /** Substring of a header field (case-insensitive); `field` is lower-case, `value` may be "". */
  | { readonly key: 'header'; readonly field: string; readonly value: string }
  | { readonly key: 'body'; readonly value: string }
  | { readonly key: 'text'; readonly value: string }
  /** Dates are "YYYY-MM-DD", compared without time and zone (RFC 3501 §6.4.4). */
  | { readonly key: 'internaldate' | 'sentdate'; readonly op: 'before' | 'on' | 'since'; readonly date: string }
  | { readonly key: 'size'; readonly op: 'larger' | 'smaller'; readonly size: number }
  /** RFC 7162 §3.1.5: mod-sequence at least `modSeq`; the entry names a flag's metadata. */
  | { readonly key: 'modseq'; readonly modSeq: number; readonly entry: { readonly name: string; readonly type: 'priv' | 'shared' | 'all' } | null }
  /** RFC 5032: internal date older / younger than `seconds` ago. */
  | { readonly key: 'age'; readonly op: 'older' | 'younger'; readonly seconds: number };

/** NOT and OR chains without parentheses recurse too; this bounds them. */
export const MAX_SEARCH_DEPTH = 64;

const FLAG_KEYS: Record<string, readonly [string, boolean]> = {
  ANSWERED: ['\\Answered', true], DELETED: ['\\Deleted', true], DRAFT: ['\\Draft', true], FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true], UNANSWERED: ['\\Answered', false], UNDELETED: ['\\Deleted', false], UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false], UNSEEN: ['\\Seen', false],
};
const HEADER_KEYS: Record<string, string> = { FROM: 'from', TO: 'to', CC: 'cc', BCC: 'bcc', SUBJECT: 'subject' };
const DATE_KEYS: Record<string, readonly ['internaldate' | 'sentdate', 'before' | 'on' | 'since']> = {
  BEFORE: ['internaldate', 'before'], ON: ['internaldate', 'on'], SINCE: ['internaldate', 'since'],
  SENTBEFORE: ['sentdate', 'before'], SENTON: ['sentdate', 'on'], SENTSINCE: ['sentdate', 'since'],
};
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const ENTRY_NAME = /^\/flags\/(.+)$/i;

function date(cursor: ArgumentCursor, keyword: string): string {
  const text = cursor.astring(`${keyword} date`);
  const parsed = parseSearchDate(text);
  if (parsed === null) throw new BadCommand(`Invalid ${keyword} date "${text.slice(0, 20)}": expected d-Mon-yyyy`);
  return parsed;
}

function modseqKey(cursor: ArgumentCursor): SearchKey {
  let entry: { name: string; type: 'priv' | 'shared' | 'all' } | null = null;
  if (cursor.peek()?.type === 'string') {
    // RFC 7162 §3.1.5: entry-name is "/flags/" followed by a flag, entry-type-req priv/shared/all.
    const name = cursor.string('MODSEQ entry name');
    const flag = ENTRY_NAME.exec(name)?.[1];
    if (flag === undefined || normalizeStoreFlag(flag) === null) throw new BadCommand(`Invalid MODSEQ entry name ${name.slice(0, 40)}`);
    const type = cursor.keyword('MODSEQ entry type').toLowerCase();
    if (type !== 'priv' && type !== 'shared' && type !== 'all') throw new BadCommand('MODSEQ entry type must be priv, shared or all');
    entry = { name: `/flags/${normalizeStoreFlag(flag)}`, type };
  }
  return { key: 'modseq', modSeq: cursor.modSequence('MODSEQ mod-sequence'), entry };
}

/** Reads one search key. */
export function parseSearchKey(cursor: ArgumentCursor, depth = 0): SearchKey {
  if (depth > MAX_SEARCH_DEPTH) throw new BadCommand('Search program too deeply nested', 'LIMIT');
  const group = cursor.optionalList();
  if (group !== null) {
    const keys = parseSearchKeys(group, depth + 1);
    return keys.length === 1 ? keys[0]! : { key: 'and', keys };
  }
  const word = cursor.keyword('search key');
  const flag = FLAG_KEYS[word];
  if (flag !== undefined) return { key: 'flag', flag: flag[0], present: flag[1] };
  const header = HEADER_KEYS[word];
  if (header !== undefined) return { key: 'header', field: header, value: cursor.astring(`${word} string`) };
  const dated = DATE_KEYS[word];
  if (dated !== undefined) return { key: dated[0], op: dated[1], date: date(cursor, word) };
  switch (word) {
    case 'ALL': return { key: 'all' };
    case 'RECENT': return { key: 'recent' };
    // RFC 3501 §6.4.4: NEW is RECENT UNSEEN; OLD is NOT RECENT.
    case 'NEW': return { key: 'and', keys: [{ key: 'recent' }, { key: 'flag', flag: '\\Seen', present: false }] };
    case 'OLD': return { key: 'not', inner: { key: 'recent' } };
    case 'BODY': return { key: 'body', value: cursor.astring('BODY string') };
    case 'TEXT': return { key: 'text', value: cursor.astring('TEXT string') };
    case 'HEADER': {
      const field = cursor.astring('HEADER field name');
      if (!HEADER_NAME.test(field)) throw new BadCommand('Invalid HEADER field name');
      return { key: 'header', field: field.toLowerCase(), value: cursor.astring('HEADER string') };
    }
    case 'KEYWORD':
    case 'UNKEYWORD': {
      const text = cursor.atom(`${word} flag`);
      const name = normalizeStoreFlag(text);
      if (name === null) throw new BadCommand(`Invalid keyword ${text.slice(0, 40)}`);
      return { key: 'flag', flag: name, present: word === 'KEYWORD' };
    }
    case 'LARGER':
    case 'SMALLER':
      return { key: 'size', op: word === 'LARGER' ? 'larger' : 'smaller', size: cursor.number(`${word} size`) };
    case 'NOT': return { key: 'not', inner: parseSearchKey(cursor, depth + 1) };
    case 'OR': {
      const left = parseSearchKey(cursor, depth + 1);
      return { key: 'or', left, right: parseSearchKey(cursor, depth + 1) };
    }
    case 'UID': return { key: 'uid', set: cursor.sequenceSet('UID set') };
    case 'MODSEQ': return modseqKey(cursor);
    case 'OLDER':
    case 'YOUNGER':
      return { key: 'age', op: word === 'OLDER' ? 'older' : 'younger', seconds: cursor.nzNumber(`${word} interval`) };
  }
  const set = parseSequenceSet(word);
  if (set !== null) return { key: 'sequence', set };
  throw new BadCommand(`Unknown search key ${word.slice(0, 40)}`);
}

/** Reads keys until the cursor is exhausted (at least one). */
export function parseSearchKeys(cursor: ArgumentCursor, depth = 0): SearchKey[] {
  if (cursor.remaining === 0) throw new BadCommand('Missing search key');
  const keys: SearchKey[] = [];
  while (cursor.remaining > 0) keys.push(parseSearchKey(cursor, depth));
  return keys;
}

/** The charsets SEARCH, SORT and THREAD accept; others get NO [BADCHARSET] (RFC 3501 §6.4.4). */
export const SEARCH_CHARSETS = ['UTF-8', 'US-ASCII'] as const;

/** Reads a charset name and refuses those the server cannot search with. */
export function readCharset(cursor: ArgumentCursor): string {
  const charset = cursor.astring('charset').toUpperCase();
  if (!(SEARCH_CHARSETS as readonly string[]).includes(charset)) {
    throw new BadCommand(`Unsupported charset ${charset.slice(0, 40)}`, 'BADCHARSET', 'NO');
  }
  return charset;
}

/** Keys as one: the key itself, or their conjunction. */
export function combineKeys(keys: readonly SearchKey[]): SearchKey {
  return keys.length === 1 ? keys[0]! : { key: 'and', keys };
}
