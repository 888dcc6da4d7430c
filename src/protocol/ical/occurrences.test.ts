import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseICalendar } from './calendar-object.js';
import { matchesFilter, type CompFilter } from './filter.js';
import { InstanceIndex } from './instance-index.js';
import { componentSpan, eachInstance, overlaps } from './occurrences.js';

const at = (s: string): number => Date.parse(s);
const calendar = (...lines: string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const event = (...lines: string[]): string[] => ['BEGIN:VEVENT', 'UID:e', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];

function starts(text: string, from: string | null = null, to: string | null = null): string[] {
  const found: string[] = [];
  const window = { start: from === null ? null : at(from), end: to === null ? null : at(to) };
  eachInstance(parseICalendar(text), 'vevent', window, (i) => { if (overlaps(i, window)) found.push(new Date(i.start).toISOString()); });
  return found.sort();
}

describe('occurrences (RFC 4791 §9.9, RFC 5545 §3.8.5)', () => {
  it('overlap: half-open ranges, and zero-length instances inside the window', () => {
    const window = { start: at('2026-01-01T10:00:00Z'), end: at('2026-01-01T11:00:00Z') };
    assert.equal(overlaps({ start: at('2026-01-01T09:00:00Z'), end: at('2026-01-01T10:00:00Z'), timed: true }, window), false, 'ends as the window starts');
    assert.equal(overlaps({ start: at('2026-01-01T10:59:00Z'), end: at('2026-01-01T12:00:00Z'), timed: true }, window), true);
    assert.equal(overlaps({ start: at('2026-01-01T11:00:00Z'), end: at('2026-01-01T12:00:00Z'), timed: true }, window), false, 'starts as the window ends');
    assert.equal(overlaps({ start: at('2026-01-01T10:00:00Z'), end: at('2026-01-01T10:00:00Z'), timed: true }, window), true, 'an instant on the start');
    assert.equal(overlaps({ start: 0, end: 0, timed: false }, { start: null, end: null }), false, 'untimed never matches');
  });

  it('expands RRULE with EXDATE and RDATE, and moves overridden instances', () => {
    const text = calendar(
      ...event('DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', 'RRULE:FREQ=DAILY;COUNT=4', 'EXDATE:20260106T090000Z', 'RDATE:20260201T090000Z'),
      ...event('RECURRENCE-ID:20260107T090000Z', 'DTSTART:20260301T090000Z', 'DTEND:20260301T100000Z'),
    );
    assert.deepEqual(starts(text), ['2026-01-05T09:00:00.000Z', '2026-01-08T09:00:00.000Z', '2026-02-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z']);
    assert.deepEqual(starts(text, '2026-01-07T00:00:00Z', '2026-01-08T00:00:00Z'), [], 'the 7th moved to March');
    assert.deepEqual(starts(text, '2026-02-15T00:00:00Z', '2026-03-15T00:00:00Z'), ['2026-03-01T09:00:00.000Z']);
  });

  it('all-day events last the day; DTSTART without DTEND is an instant', () => {
    assert.deepEqual(starts(calendar(...event('DTSTART;VALUE=DATE:20260105')), '2026-01-05T23:00:00Z', '2026-01-06T00:00:00Z'), ['2026-01-05T00:00:00.000Z']);
    assert.deepEqual(starts(calendar(...event('DTSTART:20260105T100000Z')), '2026-01-05T10:00:01Z', '2026-01-06T00:00:00Z'), []);
  });

  it('spans: bounded sets end at their last instance; endless ones have no end', () => {
    assert.deepEqual(componentSpan(parseICalendar(calendar(...event('DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=3')))),
      { start: '2026-01-05T09:00:00.000Z', end: '2026-01-19T10:00:00.000Z' });
    assert.deepEqual(componentSpan(parseICalendar(calendar(...event('DTSTART:20260105T090000Z', 'RRULE:FREQ=WEEKLY')))), { start: '2026-01-05T09:00:00.000Z', end: null });
    const journal = calendar('BEGIN:VJOURNAL', 'UID:j', 'DTSTAMP:20260101T000000Z', 'END:VJOURNAL');
    const span = componentSpan(parseICalendar(journal));
    assert.ok(span.start! > span.end!, 'a journal without DTSTART has a span no window overlaps');
  });

  it('the instance index answers like full expansion, for endless and bounded rules, across many windows', () => {
    const texts = [
      calendar(...event('DTSTART:20260105T090000Z', 'DTEND:20260105T093000Z', 'RRULE:FREQ=WEEKLY;BYDAY=MO,TH', 'EXDATE:20260316T090000Z'),
        ...event('RECURRENCE-ID:20260409T090000Z', 'DTSTART:20260411T200000Z', 'DTEND:20260411T210000Z')),
      calendar(...event('DTSTART:20260110T120000Z', 'DURATION:PT3H', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=10,25;COUNT=14')),
    ];
    const index = new InstanceIndex();
    for (const [n, text] of texts.entries()) {
      const root = parseICalendar(text);
      const span = componentSpan(root);
      for (let day = 0; day < 400; day += 3) {
        const start = Date.UTC(2026, 0, 1) + day * 86_400_000;
        const window = { start, end: start + (1 + (day % 9)) * 3_600_000 * 7 };
        const filter: CompFilter = { name: 'VCALENDAR', isNotDefined: false, timeRange: null, propFilters: [], compFilters: [{ name: 'VEVENT', isNotDefined: false, timeRange: window, propFilters: [], compFilters: [] }] };
        const expected = matchesFilter(root, filter);
        assert.equal(index.overlapsWindow(`etag-${n}`, text, 'vevent', span.end === null ? null : Date.parse(span.end), window), expected, `object ${n}, window from day ${day}`);
      }
    }
  });
});
