import ICAL from 'ical.js';

/** A half-open UTC window in epoch milliseconds; null = unbounded on that side (RFC 4791 §9.9). */
export interface TimeWindow { readonly start: number | null; readonly end: number | null }

/** One occurrence of a component: its own component (master or override) and its UTC span. */
export interface Instance {
  readonly component: ICAL.Component;
  /** Epoch ms; -Infinity/Infinity for a task without dates, which every range matches (RFC 4791 §9.9). */
  readonly start: number;
  readonly end: number;
  /** The occurrence's RECURRENCE-ID when it belongs to a recurrence set. */
  readonly recurrenceId: ICAL.Time | null;
  /** False for a journal without DTSTART, which no time range matches. */
  readonly timed: boolean;
}

/** Occurrences beyond this many per object are not expanded (a runaway rule must not stall a query). */
export const maxOccurrences = 20_000;

const dayMs = 86_400_000;

const ms = (t: ICAL.Time): number => t.toUnixTime() * 1000;

/**
 * RFC 4791 §9.9: a component overlaps [start, end) when it starts before the window ends and ends
 * after it starts; a zero-length component matches when it lies within the window.
 */
export function overlaps(instance: Pick<Instance, 'start' | 'end' | 'timed'>, window: TimeWindow): boolean {
  if (!instance.timed) return false;
  const from = window.start ?? -Infinity;
  const to = window.end ?? Infinity;
  if (instance.end === instance.start) return instance.start >= from && instance.start < to;
  return instance.start < to && instance.end > from;
}

interface Shape { start: ICAL.Time | null; lengthMs: number; timed: boolean; allTime: boolean }

/** The start and length of one component, per the table of RFC 4791 §9.9 for its type. */
function shapeOf(component: ICAL.Component): Shape {
  const time = (name: string): ICAL.Time | null => {
    const value = component.getFirstPropertyValue(name);
    return value instanceof ICAL.Time ? value : null;
  };
  const duration = component.getFirstPropertyValue('duration');
  const durationMs = duration instanceof ICAL.Duration ? duration.toSeconds() * 1000 : null;
  const dtstart = time('dtstart') ?? time('recurrence-id');
  const name = component.name;
  if (name === 'vevent') {
    if (!dtstart) return { start: null, lengthMs: 0, timed: false, allTime: false };
    const dtend = time('dtend');
    if (dtend) return { start: dtstart, lengthMs: Math.max(0, ms(dtend) - ms(dtstart)), timed: true, allTime: false };
    if (durationMs !== null) return { start: dtstart, lengthMs: Math.max(0, durationMs), timed: true, allTime: false };
    return { start: dtstart, lengthMs: dtstart.isDate ? dayMs : 0, timed: true, allTime: false };
  }
  if (name === 'vtodo') {
    const due = time('due');
    if (dtstart && durationMs !== null) return { start: dtstart, lengthMs: Math.max(0, durationMs), timed: true, allTime: false };
    if (dtstart && due) return { start: dtstart, lengthMs: Math.max(0, ms(due) - ms(dtstart)), timed: true, allTime: false };
    if (dtstart) return { start: dtstart, lengthMs: 0, timed: true, allTime: false };
    if (due) return { start: due, lengthMs: 0, timed: true, allTime: false };
    const created = time('created');
    const completed = time('completed');
    if (created && completed) return { start: created, lengthMs: Math.max(0, ms(completed) - ms(created)), timed: true, allTime: false };
    if (completed ?? created) return { start: (completed ?? created)!, lengthMs: 0, timed: true, allTime: false };
    return { start: null, lengthMs: 0, timed: true, allTime: true };
  }
  // VJOURNAL (and anything else): a date is a day, a date-time an instant, no DTSTART never matches.
  if (!dtstart) return { start: null, lengthMs: 0, timed: false, allTime: false };
  return { start: dtstart, lengthMs: dtstart.isDate ? dayMs : 0, timed: true, allTime: false };
}

function single(component: ICAL.Component, recurrenceId: ICAL.Time | null): Instance {
  const shape = shapeOf(component);
  if (shape.allTime) return { component, start: -Infinity, end: Infinity, recurrenceId, timed: true };
  if (!shape.start) return { component, start: 0, end: 0, recurrenceId, timed: false };
  const start = ms(shape.start);
  return { component, start, end: start + shape.lengthMs, recurrenceId, timed: shape.timed };
}

/**
 * Calls `visit` with every occurrence of the components named `name` (e.g. "vevent") in a
 * VCALENDAR that may overlap `window`, in no particular order: a recurrence set is expanded with
 * RRULE, RDATE and EXDATE (RFC 5545 §3.8.5), and overrides (RECURRENCE-ID) replace the
 * occurrences they name wherever they moved them. Returns false when expansion stopped at
 * maxOccurrences (the set may go on). `visit` returning false stops early.
 */
export function eachInstance(root: ICAL.Component, name: string, window: TimeWindow, visit: (instance: Instance) => boolean | void): boolean {
  const items = root.getAllSubcomponents(name);
  const overrides = items.filter((c) => c.hasProperty('recurrence-id'));
  const overridden = new Set<number>();
  for (const override of overrides) {
    const rid = override.getFirstPropertyValue('recurrence-id');
    if (rid instanceof ICAL.Time) overridden.add(ms(rid));
    if (visit(single(override, rid instanceof ICAL.Time ? rid : null)) === false) return true;
  }
  for (const master of items.filter((c) => !c.hasProperty('recurrence-id'))) {
    const dtstart = master.getFirstPropertyValue('dtstart');
    if (!(dtstart instanceof ICAL.Time) || !(master.hasProperty('rrule') || master.hasProperty('rdate'))) {
      if (visit(single(master, null)) === false) return true;
      continue;
    }
    const shape = shapeOf(master);
    const expansion = new ICAL.RecurExpansion({ component: master, dtstart });
    for (let count = 0; ; count++) {
      if (count >= maxOccurrences) return false;
      const next = expansion.next();
      if (!next) break;
      const start = ms(next);
      if (window.end !== null && start >= window.end) break;
      if (overridden.has(start)) continue;
      if (visit({ component: master, start, end: start + shape.lengthMs, recurrenceId: next, timed: true }) === false) return true;
    }
  }
  return true;
}

// Clamped to years 0001–9999 so that the ISO text sorts as the time does.
const iso = (t: number): string => new Date(Math.min(Math.max(t, Date.parse("0001-01-01T00:00:00Z")), Date.parse("9999-12-31T00:00:00Z"))).toISOString();

/** The UTC span (ISO-8601) covering every occurrence of the object; null = unbounded on that side. */
export function componentSpan(root: ICAL.Component): { start: string | null; end: string | null } {
  let first = Infinity;
  let last = -Infinity;
  let unbounded = false;
  const items = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  const note = (instance: Instance): void => {
    if (!instance.timed) return;
    first = Math.min(first, instance.start);
    last = Math.max(last, instance.end);
  };
  for (const name of new Set(items.map((c) => c.name))) {
    const endless = items.some((c) => c.name === name && !c.hasProperty('recurrence-id') && c.getAllProperties('rrule')
      .some((p) => { const r = p.getFirstValue(); return r instanceof ICAL.Recur && !r.until && !r.count; }));
    if (endless) {
      // RFC 5545 §3.8.5.3: DTSTART is the first instance; overrides may move some elsewhere.
      unbounded = true;
      for (const item of items.filter((c) => c.name === name)) note(single(item, null));
    } else if (!eachInstance(root, name, { start: null, end: null }, note)) {
      unbounded = true;
    }
  }
  // Nothing timed (a journal without DTSTART): a span no time range overlaps.
  if (first === Infinity) return unbounded ? { start: null, end: null } : { start: '9999-12-31T00:00:00.000Z', end: '0000-01-01T00:00:00.000Z' };
  return {
    start: Number.isFinite(first) ? iso(first) : null,
    end: unbounded || !Number.isFinite(last) ? null : iso(last),
  };
}
