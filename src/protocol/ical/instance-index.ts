import { parseICalendar } from './calendar-object.js';
import { eachInstance, overlaps, type TimeWindow } from './occurrences.js';

interface Entry {
  /** Instance starts and ends (epoch ms), sorted by start. */
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** The longest instance, to know how far back an overlapping instance can start. */
  readonly longest: number;
  /** Instances are known up to here (Infinity: all of them). */
  readonly until: number;
}

/** How far past the window an endless rule is expanded, so that neighbouring windows (the next month) hit. */
const margin = 62 * 86_400_000;

/**
 * Expanded occurrences of recurring objects, kept in memory by entity tag (a hash of the text,
 * so a changed object is a new entry and nothing needs invalidating). Expanding a rule with
 * ical.js walks every occurrence from DTSTART, which for a daily rule started a year ago costs
 * milliseconds; the index pays that once per object, and a time-range test is then a binary search.
 * Endless rules are expanded two months past the window asked for, and again further when a later window needs it.
 */
export class InstanceIndex {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 20_000) {}

  /**
   * RFC 4791 §9.9: does any instance of the object's `component` (lower case, e.g. "vevent")
   * overlap the window? `lastEnd` is the stored end of the whole set (null: endless).
   */
  overlapsWindow(etag: string, ical: string, component: string, lastEnd: number | null, window: TimeWindow): boolean {
    // An endless rule has occurrences after any instant (EXDATE removes finitely many).
    if (lastEnd === null && window.end === null) return true;
    const needed = window.end ?? Infinity;
    let entry = this.entries.get(etag);
    if (!entry || entry.until < needed) {
      entry = this.build(ical, component, lastEnd !== null ? null : needed + margin);
      this.remember(etag, entry);
    } else {
      // Least recently used goes first: a hit moves the entry to the back.
      this.entries.delete(etag);
      this.entries.set(etag, entry);
    }
    return anyOverlap(entry, window);
  }

  /** Expands a recurring object written just now, a year ahead, so that the next queries find it ready. */
  prewarm(etag: string, ical: string, component: string, lastEnd: number | null): void {
    this.overlapsWindow(etag, ical, component, lastEnd, { start: Date.now(), end: Date.now() + 300 * 86_400_000 });
  }

  get size(): number {
    return this.entries.size;
  }

  private build(ical: string, component: string, until: number | null): Entry {
    const spans: [number, number][] = [];
    eachInstance(parseICalendar(ical), component, { start: null, end: until }, (instance) => {
      if (instance.timed) spans.push([instance.start, instance.end]);
    });
    spans.sort((a, b) => a[0] - b[0]);
    return {
      starts: Float64Array.from(spans, (s) => s[0]),
      ends: Float64Array.from(spans, (s) => s[1]),
      longest: spans.reduce((max, s) => Math.max(max, s[1] - s[0]), 0),
      until: until ?? Infinity,
    };
  }

  private remember(etag: string, entry: Entry): void {
    this.entries.delete(etag);
    this.entries.set(etag, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

/** Instances starting before the window ends, from the last one back to where none can reach the window. */
function anyOverlap(entry: Entry, window: TimeWindow): boolean {
  const to = window.end ?? Infinity;
  const from = window.start ?? -Infinity;
  let lo = 0;
  let hi = entry.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entry.starts[mid]! < to) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && entry.starts[i]! >= from - entry.longest; i--) {
    if (overlaps({ start: entry.starts[i]!, end: entry.ends[i]!, timed: true }, window)) return true;
  }
  return false;
}
