// The search program of SEARCH, SORT and THREAD (RFC 3501 §6.4.4, RFC 9051 §6.4.4) evaluated on
// the selected folder. Text keys go to the full-text index first (blob-text.ts), so a search for
// a word in 100,000 messages reads only the messages that hold it; every other key is checked in
// memory on the stored columns of the remaining candidates.
import type { SearchKey } from '../../../protocol/imap/index.js';
import { resolveSequenceSet } from '../../../protocol/imap/index.js';
import { parseFlags } from '../../../store/mail/message-index.js';
import { messagesWithUids, type MessageColumn, type MessageRow } from '../../../store/mail/message-index.js';
import { searchWords, uidsMatchingWords } from '../../../store/mail/message-search.js';
import { flagsAsSeen } from '../seen-state.js';
import type { Session } from '../session.js';
import { headerValues } from './header-values.js';

/** Header fields kept in columns of their own; any other HEADER key reads the message's header. */
const HEADER_COLUMNS: Record<string, MessageColumn> = {
  from: 'from_text', to: 'to_text', cc: 'cc_text', subject: 'subject',
  'message-id': 'message_id', 'in-reply-to': 'in_reply_to', references: 'thread_refs',
};

export interface SearchResult {
  /** Matching messages as [sequence, uid], in sequence order. */
  readonly pairs: Array<[number, number]>;
  /** The rows read, by UID, with at least the columns asked for (empty when none were needed). */
  readonly rows: Map<number, MessageRow>;
  /** RFC 7162 §3.1.5: the program used MODSEQ, so the response carries the highest mod-sequence. */
  readonly usedModseq: boolean;
}

/** Keys answered before the per-message pass: text keys from the index, other headers from the blobs. */
type Resolved = Map<SearchKey, Set<number>>;

function walk(key: SearchKey, visit: (k: SearchKey) => void): void {
  visit(key);
  if (key.key === 'and') for (const k of key.keys) walk(k, visit);
  else if (key.key === 'or') { walk(key.left, visit); walk(key.right, visit); }
  else if (key.key === 'not') walk(key.inner, visit);
}

const contains = (haystack: string | null, needle: string): boolean =>
  haystack !== null && haystack.toLowerCase().includes(needle.toLowerCase());

/** Whether a text key is answered by the full-text index (the string holds a word to look up). */
function isIndexed(key: SearchKey): key is Extract<SearchKey, { key: 'body' | 'text' | 'header' }> {
  if (key.key === 'body' || key.key === 'text') return searchWords(key.value).length > 0;
  return key.key === 'header' && key.field === 'subject' && searchWords(key.value).length > 0;
}

/**
 * The full-text keys, each as the set of UIDs that match. BODY and TEXT: a hit in the index is a
 * match. SUBJECT: index hits whose stored subject holds the string (RFC 3501 §6.4.4: substring).
 * The index finds words and word prefixes, so a string starting inside a word is not found.
 */
async function resolveText(session: Session, criteria: SearchKey, resolved: Resolved): Promise<void> {
  const folderId = session.selected!.folderId;
  const keys: Extract<SearchKey, { key: 'body' | 'text' | 'header' }>[] = [];
  walk(criteria, (k) => { if (isIndexed(k)) keys.push(k); });
  for (const key of keys) {
    const subject = key.key === 'header';
    const hits = await uidsMatchingWords(session.deps.db, session.deps.engine, key.value, folderId, subject);
    const set = new Set<number>();
    for (const hit of hits) if (!subject || contains(hit.subject, key.value)) set.add(hit.uid);
    resolved.set(key, set);
  }
}

/** UIDs the program can only match among; null when any message may match. */
function candidates(key: SearchKey, session: Session, resolved: Resolved): Set<number> | null {
  const selected = session.selected!;
  switch (key.key) {
    case 'and': {
      let out = null as Set<number> | null;
      for (const k of key.keys) {
        const some = candidates(k, session, resolved);
        if (some === null) continue;
        if (out === null) out = some;
        else {
          const both = new Set<number>();
          for (const uid of out) if (some.has(uid)) both.add(uid);
          out = both;
        }
      }
      return out;
    }
    case 'or': {
      const left = candidates(key.left, session, resolved);
      const right = left === null ? null : candidates(key.right, session, resolved);
      return left === null || right === null ? null : new Set([...left, ...right]);
    }
    case 'uid': {
      const out = new Set<number>();
      for (const [, uid] of selected.select(key.set, true)) out.add(uid);
      return out;
    }
    case 'sequence': {
      const out = new Set<number>();
      for (const [lo, hi] of resolveSequenceSet(key.set, selected.exists)) for (let n = lo; n <= hi; n++) out.add(selected.uids[n - 1]!);
      return out;
    }
    default:
      return resolved.get(key) ?? null;
  }
}

/** The columns the per-message pass reads. */
function columnsFor(criteria: SearchKey, resolved: Resolved): Set<MessageColumn> {
  const columns = new Set<MessageColumn>();
  walk(criteria, (k) => {
    if (resolved.has(k)) return;
    switch (k.key) {
      case 'flag': columns.add('flags'); break;
      case 'header': columns.add(HEADER_COLUMNS[k.field] ?? 'blob_hash'); break;
      case 'body': case 'text': break;
      case 'internaldate': case 'age': columns.add('internal_date'); break;
      case 'sentdate': columns.add('date_sent').add('internal_date'); break;
      case 'size': columns.add('size'); break;
      case 'modseq': columns.add('modseq'); break;
      default: break;
    }
  });
  return columns;
}

/** "YYYY-MM-DD" of a stored ISO instant (UTC: RFC 3501 §6.4.4 compares dates without time or zone). */
const dayOf = (iso: string): string => (/^\d{4}-\d\d-\d\d/.test(iso) ? iso.slice(0, 10) : new Date(iso).toISOString().slice(0, 10));

function compareDay(day: string, op: 'before' | 'on' | 'since', wanted: string): boolean {
  return op === 'before' ? day < wanted : op === 'on' ? day === wanted : day >= wanted;
}

interface MatchContext {
  readonly session: Session;
  readonly resolved: Resolved;
  readonly now: number;
  /** Lower-cased flags of the message as this session sees it, computed once per message. */
  flags: Set<string> | null;
}

function matches(key: SearchKey, seq: number, uid: number, row: MessageRow | undefined, ctx: MatchContext): boolean {
  const answered = ctx.resolved.get(key);
  if (answered) return answered.has(uid);
  switch (key.key) {
    case 'all': return true;
    case 'and': return key.keys.every((k) => matches(k, seq, uid, row, ctx));
    case 'or': return matches(key.left, seq, uid, row, ctx) || matches(key.right, seq, uid, row, ctx);
    case 'not': return !matches(key.inner, seq, uid, row, ctx);
    case 'uid': return inSet(key.set, uid, ctx.session.selected!.highestUid);
    case 'sequence': return inSet(key.set, seq, ctx.session.selected!.exists);
    // Nothing is ever \Recent in Mailroom (RFC 9051 §2.3.2 dropped it).
    case 'recent': return false;
    case 'flag': {
      ctx.flags ??= new Set(flagsAsSeen(parseFlags(row!.flags), uid, ctx.session.selected!.seen).map((f) => f.toLowerCase()));
      return ctx.flags.has(key.flag.toLowerCase()) === key.present;
    }
    case 'header': {
      const column = HEADER_COLUMNS[key.field];
      // Only BCC and uncommon fields get here without a column; they were resolved from the blobs.
      if (column === undefined) return false;
      const value = row![column] as string | null;
      // RFC 3501 §6.4.4: HEADER with an empty string matches every message that has the field.
      return key.value === '' ? value !== null && value !== '' : contains(value, key.value);
    }
    // A BODY or TEXT string without a word: every message holds "", nothing else can be looked up.
    case 'body': case 'text': return key.value.trim() === '';
    case 'internaldate': return compareDay(dayOf(row!.internal_date), key.op, key.date);
    // RFC 5256 §2.2 falls back to the internal date without a Date header; so does SENT* here.
    case 'sentdate': return compareDay(dayOf(row!.date_sent ?? row!.internal_date), key.op, key.date);
    case 'size': return key.op === 'larger' ? Number(row!.size) > key.size : Number(row!.size) < key.size;
    // RFC 7162 §3.1.5: the entry (per-flag metadata) is not kept; the message's mod-sequence stands for it.
    case 'modseq': return Number(row!.modseq) >= key.modSeq;
    // RFC 5032 §3: OLDER n / YOUNGER n, against the internal date.
    case 'age': {
      const age = (ctx.now - Date.parse(row!.internal_date)) / 1000;
      return key.op === 'older' ? age >= key.seconds : age < key.seconds;
    }
  }
}

function inSet(set: readonly { start: number | '*'; end: number | '*' }[], n: number, largest: number): boolean {
  for (const range of set) {
    const a = range.start === '*' ? largest : range.start;
    const b = range.end === '*' ? largest : range.end;
    if (n >= Math.min(a, b) && n <= Math.max(a, b)) return true;
  }
  return false;
}

/**
 * Evaluates a search program on the selected folder. `extraColumns` are read for every match
 * (SORT's and THREAD's keys) along with those the program needs.
 */
export async function searchFolder(session: Session, criteria: SearchKey, extraColumns: readonly MessageColumn[] = []): Promise<SearchResult> {
  const selected = session.selected!;
  const resolved: Resolved = new Map();
  await resolveText(session, criteria, resolved);
  let usedModseq = false;
  const blobHeaders: Extract<SearchKey, { key: 'header' }>[] = [];
  walk(criteria, (k) => {
    if (k.key === 'modseq') usedModseq = true;
    if (k.key === 'header' && !resolved.has(k) && HEADER_COLUMNS[k.field] === undefined) blobHeaders.push(k);
  });

  const narrowed = candidates(criteria, session, resolved);
  let universe: Array<[number, number]>;
  if (narrowed === null) {
    universe = selected.uids.map((uid, i) => [i + 1, uid]);
  } else {
    universe = [];
    for (const uid of narrowed) {
      const seq = selected.sequenceOf(uid);
      if (seq > 0) universe.push([seq, uid]);
    }
    universe.sort((a, b) => a[0] - b[0]);
  }

  const columns = columnsFor(criteria, resolved);
  for (const c of extraColumns) columns.add(c);
  if (usedModseq) columns.add('modseq');
  const rows = new Map<number, MessageRow>();
  if (columns.size > 0 && universe.length > 0) {
    const read = await messagesWithUids(session.deps.db, selected.folderId, universe.map(([, uid]) => uid), [...columns]);
    for (const row of read) rows.set(Number(row.uid), row);
    // Expunged by another session since this one last looked: it no longer matches anything.
    universe = universe.filter(([, uid]) => rows.has(uid));
  }
  for (const key of blobHeaders) resolved.set(key, await headerValues(session, universe, rows, key.field, key.value));

  const ctx: MatchContext = { session, resolved, now: Date.now(), flags: null };
  const pairs: Array<[number, number]> = [];
  for (const [seq, uid] of universe) {
    ctx.flags = null;
    if (matches(criteria, seq, uid, rows.get(uid), ctx)) pairs.push([seq, uid]);
  }
  return { pairs, rows, usedModseq };
}
