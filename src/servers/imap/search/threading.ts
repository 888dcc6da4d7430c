// THREAD=ORDEREDSUBJECT and THREAD=REFERENCES (RFC 5256 §3), from the stored Message-ID,
// In-Reply-To, References, subject and dates.
import type { ThreadNode } from '../../../protocol/imap/index.js';
import type { MessageColumn, MessageRow } from '../../../store/mail/message-index.js';
import { baseSubject, type BaseSubject } from './base-subject.js';
import { sentDate } from './ordering.js';

export const THREAD_COLUMNS: readonly MessageColumn[] = ['subject', 'date_sent', 'internal_date', 'message_id', 'in_reply_to', 'thread_refs'];

/** One message of the threading: `number` is what the response names it by (UID or sequence number). */
interface Message {
  readonly seq: number;
  readonly number: number;
  readonly date: number;
  readonly subject: BaseSubject;
  readonly row: MessageRow;
}

const byDate = (a: { date: number; seq: number }, b: { date: number; seq: number }): number => a.date - b.date || a.seq - b.seq;

function messagesOf(pairs: ReadonlyArray<[number, number]>, rows: ReadonlyMap<number, MessageRow>, byUid: boolean): Message[] {
  return pairs.map(([seq, uid]) => {
    const row = rows.get(uid)!;
    return { seq, number: byUid ? uid : seq, date: sentDate(row), subject: baseSubject(row.subject), row };
  });
}

/** RFC 5256 §3 ORDEREDSUBJECT: by base subject, then date; the first of each group is the parent of the rest. */
export function orderedSubjectThreads(pairs: ReadonlyArray<[number, number]>, rows: ReadonlyMap<number, MessageRow>, byUid: boolean): ThreadNode[] {
  const messages = messagesOf(pairs, rows, byUid);
  const groups = new Map<string, Message[]>();
  for (const m of messages) {
    const group = groups.get(m.subject.base);
    if (group) group.push(m);
    else groups.set(m.subject.base, [m]);
  }
  const threads = [...groups.values()].map((group) => group.sort(byDate));
  threads.sort((a, b) => byDate(a[0]!, b[0]!));
  return threads.map(([first, ...rest]) => ({ id: first!.number, children: rest.map((m) => ({ id: m.number, children: [] })) }));
}

interface Container {
  message: Message | null;
  parent: Container | null;
  children: Container[];
}

function isAncestor(candidate: Container, of: Container): boolean {
  for (let c: Container | null = of; c !== null; c = c.parent) if (c === candidate) return true;
  return false;
}

function link(parent: Container, child: Container): void {
  child.parent = parent;
  parent.children.push(child);
}

function unlink(child: Container): void {
  if (!child.parent) return;
  child.parent.children = child.parent.children.filter((c) => c !== child);
  child.parent = null;
}

/** A container's date and sequence for ordering: a dummy takes its first child's (RFC 5256 §3 REFERENCES steps 4 and 6). */
function sortKey(c: Container): { date: number; seq: number } {
  if (c.message) return c.message;
  return c.children[0] ? sortKey(c.children[0]) : { date: 0, seq: 0 };
}

function sortTree(list: Container[]): void {
  for (const c of list) sortTree(c.children);
  list.sort((a, b) => byDate(sortKey(a), sortKey(b)));
}

/** Step 3: dummies without children go; a dummy's children move up, except a root dummy's several. */
function prune(list: readonly Container[], atRoot: boolean): Container[] {
  const out: Container[] = [];
  for (const c of list) {
    c.children = prune(c.children, false);
    for (const child of c.children) child.parent = c;
    if (c.message || (atRoot && c.children.length > 1)) out.push(c);
    else for (const child of c.children) { child.parent = c.parent; out.push(child); }
  }
  return out;
}

const subjectOf = (c: Container): BaseSubject | null => c.message?.subject ?? c.children[0]?.message?.subject ?? null;

/** RFC 5256 §3 REFERENCES (steps 1 to 6). */
export function referencesThreads(pairs: ReadonlyArray<[number, number]>, rows: ReadonlyMap<number, MessageRow>, byUid: boolean): ThreadNode[] {
  const table = new Map<string, Container>();
  const containerFor = (id: string): Container => {
    let c = table.get(id);
    if (!c) table.set(id, (c = { message: null, parent: null, children: [] }));
    return c;
  };
  const all: Container[] = [];
  for (const m of messagesOf(pairs, rows, byUid)) {
    // Step 1A: a missing or repeated Message-ID gets a unique one.
    let own = m.row.message_id ? containerFor(m.row.message_id) : null;
    if (!own || own.message) {
      own = { message: null, parent: null, children: [] };
      table.set(`\0${m.seq}`, own);
    }
    own.message = m;
    all.push(own);
    const refs = m.row.thread_refs.split(' ').filter(Boolean);
    if (refs.length === 0 && m.row.in_reply_to) refs.push(m.row.in_reply_to);
    // Step 1B: link the references in order, keeping links already made and never making a loop.
    for (let i = 1; i < refs.length; i++) {
      const parent = containerFor(refs[i - 1]!);
      const child = containerFor(refs[i]!);
      if (child.parent === null && parent !== child && !isAncestor(child, parent)) link(parent, child);
    }
    // Step 1C: the last reference is the message's parent; an earlier parent was probably wrong.
    unlink(own);
    const last = refs.length > 0 ? containerFor(refs[refs.length - 1]!) : null;
    if (last && last !== own && !isAncestor(own, last)) link(last, own);
  }
  // Steps 2 to 4: the root set, pruned and ordered by date.
  const roots = prune([...new Set(table.values())].filter((c) => c.parent === null), true);
  sortTree(roots);
  // Step 5: roots with the same base subject join.
  const bySubject = new Map<string, Container>();
  for (const c of roots) {
    const subject = subjectOf(c);
    if (!subject || subject.base === '') continue;
    const held = bySubject.get(subject.base);
    if (!held || (!c.message && held.message) || (held.message && subjectOf(held)!.replyOrForward && !subject.replyOrForward)) bySubject.set(subject.base, c);
  }
  const merged: Container[] = [];
  const replace = (old: Container, by: Container): void => {
    const at = merged.indexOf(old);
    if (at >= 0) merged[at] = by;
    else merged.push(by);
  };
  for (const c of roots) {
    // Joined to a later root already.
    if (c.parent !== null) continue;
    const subject = subjectOf(c);
    const held = subject && subject.base !== '' ? bySubject.get(subject.base) : undefined;
    if (!held || held === c) {
      merged.push(c);
      continue;
    }
    if (!held.message && !c.message) {
      for (const child of c.children) link(held, child);
    } else if (!held.message || !c.message) {
      const dummy = held.message ? c : held;
      const other = held.message ? held : c;
      link(dummy, other);
      if (dummy !== held) {
        replace(held, dummy);
        bySubject.set(subject!.base, dummy);
      }
    } else if (subject!.replyOrForward && !subjectOf(held)!.replyOrForward) {
      link(held, c);
    } else {
      const dummy: Container = { message: null, parent: null, children: [] };
      link(dummy, held);
      link(dummy, c);
      replace(held, dummy);
      bySubject.set(subject!.base, dummy);
    }
  }
  // Step 6: siblings by date at every level.
  sortTree(merged);
  const toNode = (c: Container): ThreadNode => ({ id: c.message?.number ?? null, children: c.children.map(toNode) });
  return merged.map(toNode);
}
