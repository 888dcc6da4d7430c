import ICAL from 'ical.js';
import type { Kysely } from 'kysely';
import type { Principal } from '../../../directory/accounts.js';
import { findRecipient, isMailboxKind, type Recipient } from '../../../directory/recipients.js';
import { InvalidCalendarObject, parseICalendar } from '../../../protocol/ical/calendar-object.js';
import { busyPeriods, freeBusyCalendar, type BusyPeriod } from '../../../protocol/ical/freebusy.js';
import { DavError } from '../../../protocol/webdav/errors.js';
import { CALDAV, DAV, node, serializeXml, type XmlNode } from '../../../protocol/webdav/xml.js';
import { listCalendars } from '../../../store/calendar/calendars.js';
import { objectsInWindow } from '../../../store/calendar/objects.js';
import { openMailbox } from '../../../store/mail/access.js';
import type { Database } from '../../../store/sql/schema.js';
import { header, type DavRequest } from './dav-context.js';

/** Longest free/busy window one request may ask for. */
const maxWindowMs = 366 * 86_400_000;

/**
 * Whose free/busy a principal may read: every user mailbox of the organization (Exchange's
 * default "free/busy time" permission), and shared mailboxes only through a grant, so that a
 * non-member learns nothing about a shared mailbox, not even that it exists.
 */
async function visibleMailbox(db: Kysely<Database>, principal: Principal, address: string): Promise<Recipient | null> {
  const recipient = await findRecipient(db, address);
  if (!recipient || !isMailboxKind(recipient.kind) || !address.includes('@')) return null;
  if (recipient.kind === 'user') return recipient;
  try {
    return (await openMailbox(db, principal, address)).mailbox;
  } catch {
    return null;
  }
}

async function busyTimeOf(db: Kysely<Database>, mailbox: Recipient, window: { start: number; end: number }): Promise<BusyPeriod[]> {
  const periods: BusyPeriod[] = [];
  for (const calendar of await listCalendars(db, mailbox.id)) {
    for (const candidate of await objectsInWindow(db, calendar.id, 'VEVENT', window.start, window.end)) {
      periods.push(...busyPeriods(parseICalendar(candidate.ical), window));
    }
  }
  return periods;
}

const mailto = (value: string): string => value.replace(/^mailto:/i, '');

/**
 * POST of a VFREEBUSY request to the outbox (RFC 6638 §5, iTIP RFC 5546 §3.3.2): one
 * CALDAV:response per ATTENDEE with its busy time over every calendar of that mailbox, or
 * 3.7 "invalid calendar user" for anyone it may not see (unknown and hidden read the same).
 */
export async function freeBusyRequest(request: DavRequest): Promise<string> {
  if (request.target.kind !== 'outbox') throw new DavError(405, 'POST is accepted only by the scheduling outbox.');
  const type = (header(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/calendar') throw new DavError(415, 'A scheduling request is text/calendar.', node(CALDAV, 'supported-calendar-data'));
  let root: ICAL.Component;
  try {
    root = parseICalendar(request.body);
  } catch (err) {
    if (err instanceof InvalidCalendarObject) throw new DavError(400, err.message, node(CALDAV, 'valid-calendar-data'));
    throw err;
  }
  const query = root.getFirstSubcomponent('vfreebusy');
  const start = query?.getFirstPropertyValue('dtstart');
  const end = query?.getFirstPropertyValue('dtend');
  if (String(root.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REQUEST' || !query || !(start instanceof ICAL.Time) || !(end instanceof ICAL.Time)) {
    throw new DavError(403, 'Only free/busy requests (METHOD:REQUEST with a VFREEBUSY, DTSTART and DTEND) are accepted; Mailroom does not deliver invitations.', node(CALDAV, 'valid-scheduling-message'));
  }
  const window = { start: start.toUnixTime() * 1000, end: end.toUnixTime() * 1000 };
  if (window.end <= window.start || window.end - window.start > maxWindowMs) {
    throw new DavError(403, 'The free/busy range must end after it starts and span at most a year.', node(CALDAV, 'valid-scheduling-message'));
  }
  const organizer = String(query.getFirstPropertyValue('organizer') ?? `mailto:${request.principal.address}`);
  const uid = String(query.getFirstPropertyValue('uid') ?? 'freebusy');
  const responses: XmlNode[] = [];
  for (const attendee of query.getAllProperties('attendee').map((p) => String(p.getFirstValue()))) {
    const mailbox = await visibleMailbox(request.db, request.principal, mailto(attendee));
    const recipient = node(CALDAV, 'recipient', [node(DAV, 'href', attendee)]);
    if (!mailbox) {
      responses.push(node(CALDAV, 'response', [recipient, node(CALDAV, 'request-status', '3.7;Invalid calendar user')]));
      continue;
    }
    const data = freeBusyCalendar(window, await busyTimeOf(request.db, mailbox, window), Date.now(), { organizer, attendee, uid });
    responses.push(node(CALDAV, 'response', [recipient, node(CALDAV, 'request-status', '2.0;Success'), node(CALDAV, 'calendar-data', data)]));
  }
  return serializeXml(node(CALDAV, 'schedule-response', responses));
}
