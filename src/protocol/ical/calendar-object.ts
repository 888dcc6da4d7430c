import ICAL from 'ical.js';
import { componentSpan } from './occurrences.js';

/** The component types a calendar collection holds (CALDAV:supported-calendar-component-set). */
export const supportedComponents = ['VEVENT', 'VTODO', 'VJOURNAL'] as const;
export type CalendarComponentType = (typeof supportedComponents)[number];

/** The CalDAV precondition a rejected object violates (RFC 4791 §5.3.2.1). */
export type CalendarPrecondition = 'valid-calendar-data' | 'valid-calendar-object-resource' | 'supported-calendar-component';

export class InvalidCalendarObject extends Error {
  constructor(message: string, readonly precondition: CalendarPrecondition) {
    super(message);
    this.name = 'InvalidCalendarObject';
  }
}

/** What the store keeps beside the text to answer queries without parsing every object. */
export interface CalendarObjectSummary {
  readonly uid: string;
  readonly component: CalendarComponentType;
  /** UTC ISO-8601 bounds of every occurrence; null = unbounded on that side. */
  readonly firstStart: string | null;
  readonly lastEnd: string | null;
  readonly recurring: boolean;
}

export interface ParsedCalendarObject {
  readonly root: ICAL.Component;
  readonly summary: CalendarObjectSummary;
}

/** Parses iCalendar text into a component tree, or throws InvalidCalendarObject (valid-calendar-data). */
export function parseICalendar(text: string): ICAL.Component {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (err) {
    throw new InvalidCalendarObject(`The calendar data is not valid iCalendar: ${err instanceof Error ? err.message : String(err)}`, 'valid-calendar-data');
  }
  // Several VCALENDARs in one body come back as an array of them.
  if (!Array.isArray(jcal) || typeof jcal[0] !== 'string') {
    throw new InvalidCalendarObject('A calendar object resource holds exactly one VCALENDAR.', 'valid-calendar-object-resource');
  }
  const root = new ICAL.Component(jcal as unknown[]);
  if (root.name !== 'vcalendar') throw new InvalidCalendarObject('The calendar data must be a VCALENDAR.', 'valid-calendar-data');
  return root;
}

/**
 * Validates one calendar object resource (RFC 4791 §4.1): a VCALENDAR without METHOD, holding
 * components of one supported type that all share one UID (the master and its RECURRENCE-ID
 * overrides), plus any VTIMEZONEs. Every date-time must parse (RFC 5545 §3.3.5).
 */
export function parseCalendarObject(text: string): ParsedCalendarObject {
  const root = parseICalendar(text);
  if (!root.getFirstPropertyValue('version')) throw new InvalidCalendarObject('The VCALENDAR has no VERSION property (RFC 5545 §3.7.4).', 'valid-calendar-data');
  if (!root.getFirstPropertyValue('prodid')) throw new InvalidCalendarObject('The VCALENDAR has no PRODID property (RFC 5545 §3.7.3).', 'valid-calendar-data');
  if (root.hasProperty('method')) {
    throw new InvalidCalendarObject('A stored calendar object must not carry the METHOD property (RFC 4791 §4.1).', 'valid-calendar-object-resource');
  }
  const items = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  if (items.length === 0) throw new InvalidCalendarObject('The VCALENDAR holds no event, task or journal entry.', 'valid-calendar-object-resource');
  const type = items[0]!.name.toUpperCase();
  if (!(supportedComponents as readonly string[]).includes(type)) {
    throw new InvalidCalendarObject(`This calendar does not hold ${type} components; it holds VEVENT, VTODO and VJOURNAL.`, 'supported-calendar-component');
  }
  if (items.some((c) => c.name.toUpperCase() !== type)) {
    throw new InvalidCalendarObject('All components of a calendar object resource must be of one type (RFC 4791 §4.1).', 'valid-calendar-object-resource');
  }
  const uids = new Set(items.map((c) => c.getFirstPropertyValue('uid')));
  const uid = items[0]!.getFirstPropertyValue('uid');
  if (typeof uid !== 'string' || uid.trim() === '') throw new InvalidCalendarObject(`The ${type} has no UID property.`, 'valid-calendar-object-resource');
  if (uids.size !== 1) throw new InvalidCalendarObject('All components of a calendar object resource must share one UID (RFC 4791 §4.1).', 'valid-calendar-object-resource');
  const masters = items.filter((c) => !c.hasProperty('recurrence-id'));
  if (masters.length > 1) throw new InvalidCalendarObject('Only one component may lack RECURRENCE-ID (RFC 4791 §4.1).', 'valid-calendar-object-resource');
  for (const item of items) checkDates(item, type as CalendarComponentType);
  const span = componentSpan(root);
  const recurring = masters.some((m) => m.hasProperty('rrule') || m.hasProperty('rdate'));
  return { root, summary: { uid, component: type as CalendarComponentType, firstStart: span.start, lastEnd: span.end, recurring } };
}

/** Reading every date-time property once makes ical.js throw on malformed values now rather than during a query. */
function checkDates(item: ICAL.Component, type: CalendarComponentType): void {
  if (type === 'VEVENT' && !item.hasProperty('dtstart')) {
    throw new InvalidCalendarObject('A VEVENT must have DTSTART (RFC 5545 §3.6.1).', 'valid-calendar-data');
  }
  if (item.hasProperty('dtend') && item.hasProperty('duration')) {
    throw new InvalidCalendarObject(`A ${type} may have DTEND or DURATION, not both (RFC 5545 §3.6.1).`, 'valid-calendar-data');
  }
  try {
    for (const name of ['dtstart', 'dtend', 'due', 'recurrence-id', 'rrule', 'exdate', 'rdate', 'duration']) {
      for (const prop of item.getAllProperties(name)) {
        for (const value of prop.getValues()) {
          if (value instanceof ICAL.Time && !Number.isFinite(value.toUnixTime())) throw new Error(`bad ${name.toUpperCase()}`);
        }
      }
    }
  } catch (err) {
    throw new InvalidCalendarObject(`The ${type} has an invalid date or rule: ${err instanceof Error ? err.message : String(err)}`, 'valid-calendar-data');
  }
  const start = item.getFirstPropertyValue('dtstart');
  const end = item.getFirstPropertyValue('dtend');
  if (start instanceof ICAL.Time && end instanceof ICAL.Time && end.compare(start) < 0) {
    throw new InvalidCalendarObject(`The ${type} ends before it starts.`, 'valid-calendar-data');
  }
}
