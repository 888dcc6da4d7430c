import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidCalendarObject, parseCalendarObject } from './calendar-object.js';
import { textMatches } from './filter.js';
import { busyPeriods, freeBusyCalendar } from './freebusy.js';

const wrap = (...lines: string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const event = (uid: string, ...lines: string[]): string[] => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];

function refusal(text: string): [string, string] {
  try {
    parseCalendarObject(text);
  } catch (err) {
    assert.ok(err instanceof InvalidCalendarObject, String(err));
    return [err.precondition, err.message];
  }
  assert.fail('accepted');
}

describe('calendar object resources (RFC 4791 §4.1)', () => {
  it('accepts one event with its overrides and summarizes it', () => {
    const parsed = parseCalendarObject(wrap(...event('a', 'DTSTART:20260105T090000Z', 'RRULE:FREQ=DAILY;COUNT=2'), ...event('a', 'RECURRENCE-ID:20260106T090000Z', 'DTSTART:20260106T100000Z')));
    assert.deepEqual(parsed.summary, { uid: 'a', component: 'VEVENT', firstStart: '2026-01-05T09:00:00.000Z', lastEnd: '2026-01-06T10:00:00.000Z', recurring: true });
  });

  it('refuses what a calendar object resource must not be, naming the precondition', () => {
    assert.equal(refusal('nonsense')[0], 'valid-calendar-data');
    assert.equal(refusal(wrap(...event('a', 'DTSTART:20260105T090000Z')).replace('VERSION:2.0\r\n', ''))[0], 'valid-calendar-data');
    assert.deepEqual(refusal(wrap('METHOD:REQUEST', ...event('a', 'DTSTART:20260105T090000Z')))[0], 'valid-calendar-object-resource');
    assert.match(refusal(wrap(...event('a', 'DTSTART:20260105T090000Z'), ...event('b', 'DTSTART:20260105T090000Z')))[1], /share one UID/);
    assert.match(refusal(wrap(...event('a', 'DTSTART:20260105T090000Z'), ...event('a', 'DTSTART:20260106T090000Z')))[1], /Only one component may lack RECURRENCE-ID/);
    assert.match(refusal(wrap(...event('a', 'DTSTART:20260105T090000Z'), 'BEGIN:VTODO', 'UID:a', 'END:VTODO'))[1], /of one type/);
    assert.equal(refusal(wrap('BEGIN:VFREEBUSY', 'UID:f', 'END:VFREEBUSY'))[0], 'supported-calendar-component');
    assert.match(refusal(wrap(...event('a', 'DTSTART:20260105T090000Z', 'DTEND:20260104T090000Z')))[1], /ends before it starts/);
    assert.match(refusal(wrap(...event('a', 'DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', 'DURATION:PT1H')))[1], /DTEND or DURATION/);
    assert.equal(refusal(wrap('BEGIN:VEVENT', 'DTSTART:20260105T090000Z', 'END:VEVENT'))[0], 'valid-calendar-object-resource');
  });

  it('text-match collations (RFC 4790)', () => {
    assert.equal(textMatches('Team Meeting', { text: 'meet', collation: 'i;ascii-casemap', negate: false }), true);
    assert.equal(textMatches('Team Meeting', { text: 'meet', collation: 'i;octet', negate: false }), false);
    assert.equal(textMatches('ÄRGER', { text: 'ärger', collation: 'i;unicode-casemap', negate: false }), true);
    assert.equal(textMatches('Team', { text: 'x', collation: 'i;ascii-casemap', negate: true }), true);
  });

  it('free/busy: opaque events are busy, tentative ones tentative, transparent and cancelled ones free', () => {
    const window = { start: Date.parse('2026-01-05T00:00:00Z'), end: Date.parse('2026-01-06T00:00:00Z') };
    const periods = [
      ...busyPeriods(parseCalendarObject(wrap(...event('a', 'DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z'))).root, window),
      ...busyPeriods(parseCalendarObject(wrap(...event('b', 'DTSTART:20260105T093000Z', 'DTEND:20260105T110000Z'))).root, window),
      ...busyPeriods(parseCalendarObject(wrap(...event('c', 'DTSTART:20260105T130000Z', 'DTEND:20260105T140000Z', 'STATUS:TENTATIVE'))).root, window),
      ...busyPeriods(parseCalendarObject(wrap(...event('d', 'DTSTART:20260105T150000Z', 'DTEND:20260105T160000Z', 'TRANSP:TRANSPARENT'))).root, window),
      ...busyPeriods(parseCalendarObject(wrap(...event('e', 'DTSTART:20260105T170000Z', 'DTEND:20260105T180000Z', 'STATUS:CANCELLED'))).root, window),
    ];
    const text = freeBusyCalendar(window, periods, Date.parse('2026-01-01T00:00:00Z'));
    assert.deepEqual(text.split('\r\n').filter((l) => l.startsWith('FREEBUSY')), [
      'FREEBUSY;FBTYPE=BUSY:20260105T090000Z/20260105T110000Z',
      'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20260105T130000Z/20260105T140000Z',
    ]);
  });
});
