import ICAL from 'ical.js';
import { eachInstance, overlaps, type TimeWindow } from './occurrences.js';

export type BusyType = 'BUSY' | 'BUSY-TENTATIVE' | 'BUSY-UNAVAILABLE';
export interface BusyPeriod { readonly start: number; readonly end: number; readonly type: BusyType }

/**
 * The busy time one calendar object contributes to a free-busy-query (RFC 4791 §7.10): every
 * VEVENT instance in the window that is not TRANSPARENT or CANCELLED, TENTATIVE ones as such.
 */
export function busyPeriods(root: ICAL.Component, window: { start: number; end: number }): BusyPeriod[] {
  const periods: BusyPeriod[] = [];
  eachInstance(root, 'vevent', window, (instance) => {
    if (!overlaps(instance, window) || instance.end <= instance.start) return;
    const event = instance.component;
    if (String(event.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT') return;
    const status = String(event.getFirstPropertyValue('status') ?? '').toUpperCase();
    if (status === 'CANCELLED') return;
    periods.push({
      start: Math.max(instance.start, window.start),
      end: Math.min(instance.end, window.end),
      type: status === 'TENTATIVE' ? 'BUSY-TENTATIVE' : 'BUSY',
    });
  });
  return periods;
}

/** Merges overlapping periods of the same type, sorted by start. */
export function mergePeriods(periods: readonly BusyPeriod[]): BusyPeriod[] {
  const merged: BusyPeriod[] = [];
  for (const type of ['BUSY', 'BUSY-TENTATIVE', 'BUSY-UNAVAILABLE'] as const) {
    const sorted = periods.filter((p) => p.type === type).sort((a, b) => a.start - b.start);
    for (const period of sorted) {
      const last = merged.at(-1);
      if (last && last.type === type && period.start <= last.end) merged[merged.length - 1] = { ...last, end: Math.max(last.end, period.end) };
      else merged.push(period);
    }
  }
  return merged.sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
}

const stamp = (epochMs: number): string => new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** For an iTIP reply (RFC 5546 §3.3.2): who asked, about whom, and the request's UID. */
export interface FreeBusyReply { readonly organizer: string; readonly attendee: string; readonly uid: string }

/**
 * A VCALENDAR with one VFREEBUSY for the window (RFC 5545 §3.6.4), FREEBUSY periods in UTC; with
 * `reply`, a METHOD:REPLY answer to a free/busy request (RFC 5546 §3.3.2).
 */
export function freeBusyCalendar(window: { start: number; end: number }, periods: readonly BusyPeriod[], now: number = Date.now(), reply?: FreeBusyReply): string {
  const lines = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Mailroom//CalDAV//EN', ...(reply ? ['METHOD:REPLY'] : []), 'BEGIN:VFREEBUSY',
    ...(reply ? [`UID:${reply.uid}`, `ORGANIZER:${reply.organizer}`, `ATTENDEE:${reply.attendee}`] : []),
    `DTSTAMP:${stamp(now)}`, `DTSTART:${stamp(window.start)}`, `DTEND:${stamp(window.end)}`,
    ...mergePeriods(periods).map((p) => `FREEBUSY;FBTYPE=${p.type}:${stamp(p.start)}/${stamp(p.end)}`),
    'END:VFREEBUSY', 'END:VCALENDAR',
  ];
  return `${lines.join('\r\n')}\r\n`;
}
