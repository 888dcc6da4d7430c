// Sequence sets (RFC 3501 §9 sequence-set, RFC 9051 §9): parse, resolve against a mailbox, and write
// number lists compactly for UIDPLUS, VANISHED, ESEARCH and MODIFIED.

/** A message number or UID; "*" is the largest in use. */
export type SequenceNumber = number | '*';

/** A range as written: `start` may exceed `end` (RFC 3501 §9: "2:4" and "4:2" are the same). */
export interface SequenceRange {
  readonly start: SequenceNumber;
  readonly end: SequenceNumber;
}

export type SequenceSet = readonly SequenceRange[];

/** RFC 3501 §2.3.1.1: nz-number is 1..4294967295 (a 32-bit unsigned, zero excluded). */
export const MAX_SEQUENCE_NUMBER = 0xffffffff;

function parseNumber(text: string): SequenceNumber | null {
  if (text === '*') return '*';
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_SEQUENCE_NUMBER ? n : null;
}

/** Parses "1,3:5,7:*"; null when it is not a sequence set. */
export function parseSequenceSet(text: string): SequenceSet | null {
  if (text.length === 0) return null;
  const ranges: SequenceRange[] = [];
  for (const piece of text.split(',')) {
    const colon = piece.indexOf(':');
    const start = parseNumber(colon === -1 ? piece : piece.slice(0, colon));
    const end = colon === -1 ? start : parseNumber(piece.slice(colon + 1));
    if (start === null || end === null) return null;
    ranges.push({ start, end });
  }
  return ranges;
}

/** Writes a sequence set back as the client could have sent it. */
export function formatSequenceSet(set: SequenceSet): string {
  return set.map((r) => (r.start === r.end ? String(r.start) : `${r.start}:${r.end}`)).join(',');
}

/**
 * The set as sorted, merged, inclusive [first, last] ranges, "*" standing for `largest` (the last
 * message number, or the highest UID). Ranges beyond `largest` are clipped, and one starting past it
 * keeps only "*" when "*" was written (RFC 3501 §6.4.8: "559:*" includes the last UID even when 559
 * is higher). An empty mailbox (`largest` 0) resolves to no ranges.
 */
export function resolveSequenceSet(set: SequenceSet, largest: number): Array<[number, number]> {
  if (largest <= 0) return [];
  const raw: Array<[number, number]> = [];
  for (const range of set) {
    const a = range.start === '*' ? largest : range.start;
    const b = range.end === '*' ? largest : range.end;
    const lo = Math.min(a, b);
    const hi = Math.min(Math.max(a, b), largest);
    if (lo <= hi) raw.push([lo, hi]);
  }
  raw.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [lo, hi] of raw) {
    const last = merged[merged.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged;
}

/** Whether `n` is in the set, "*" standing for `largest`. */
export function sequenceSetIncludes(set: SequenceSet, n: number, largest: number): boolean {
  for (const range of set) {
    const a = range.start === '*' ? largest : range.start;
    const b = range.end === '*' ? largest : range.end;
    if (n >= Math.min(a, b) && n <= Math.max(a, b)) return true;
  }
  return false;
}

/** Whether the set uses "*" (RFC 7162 §3.2.5.2 forbids it in QRESYNC known-uids, for one). */
export function sequenceSetHasStar(set: SequenceSet): boolean {
  return set.some((r) => r.start === '*' || r.end === '*');
}

/**
 * Writes numbers as a compact set ("1:3,7"). With `sorted` true (the default) order is not kept;
 * with false, only consecutive ascending runs are joined, as COPYUID needs to keep its two lists in
 * step (RFC 4315 §3).
 */
export function formatNumberSet(numbers: Iterable<number>, sorted = true): string {
  let list = Array.from(numbers);
  if (sorted) list = Array.from(new Set(list)).sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < list.length) {
    const start = list[i]!;
    let end = start;
    while (i + 1 < list.length && list[i + 1] === end + 1) end = list[++i]!;
    parts.push(start === end ? String(start) : `${start}:${end}`);
    i++;
  }
  return parts.join(',');
}
