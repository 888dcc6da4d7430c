import { DavError } from '../../../protocol/webdav/errors.js';
import { parseMkcalendar, parsePropfind, parseProppatch, type PropUpdate } from '../../../protocol/webdav/requests.js';
import { APPLE_ICAL, CALDAV, DAV, clark, node, type XmlElement, type XmlNode } from '../../../protocol/webdav/xml.js';
import { automappedCalendarHomes } from '../../../store/calendar/access.js';
import { createCalendar, listCalendars, updateCalendarProperties, type CalendarProperties } from '../../../store/calendar/calendars.js';
import { getObject, listObjects } from '../../../store/calendar/objects.js';
import { commitChanges, header, requireRight, type DavRequest } from './dav-context.js';
import { assertResourceName, calendarHref, objectHref } from './dav-paths.js';
import { calendarResource, homeResource, objectResource, outboxResource, plainCollection, principalResource, type DavResource } from './dav-properties.js';
import { propstatResponse, statusLine } from './dav-response.js';
import type { ResolvedCalendar } from './dav-resolve.js';

export type DavBodyParser = (body: string) => XmlElement | null;

/** RFC 4918 §10.2: Depth 0 or 1; infinity is answered as 1, since nothing here nests deeper than a calendar. */
function depthOf(request: DavRequest): 0 | 1 {
  const depth = (header(request, 'depth') ?? 'infinity').trim().toLowerCase();
  if (depth === '0') return 0;
  if (depth === '1' || depth === 'infinity') return 1;
  throw new DavError(400, 'The Depth header must be 0, 1 or infinity.');
}

export const calendarView = (target: ResolvedCalendar) =>
  ({ href: target.href, calendar: target.calendar, mailbox: target.home.mailbox, level: target.home.level, proxy: target.ref.proxy });

/** The resource at the target and, at depth 1, its members. */
async function resourcesOf(request: DavRequest, depth: 0 | 1, path: string): Promise<DavResource[]> {
  const { db, principal, target } = request;
  switch (target.kind) {
    case 'root':
      return [plainCollection(path, principal)];
    case 'principals':
    case 'calendars':
      // Not enumerable: the directory is not browsed through DAV.
      return [plainCollection(path, principal)];
    case 'principal':
      return [principalResource(target.home.mailbox, principal)];
    case 'outbox':
      return [outboxResource(path, principal)];
    case 'home': {
      const { mailbox, level } = target.home;
      const resources = [homeResource(target.href, mailbox, level, principal)];
      if (depth === 0) return resources;
      const home = mailbox.primaryAddress;
      for (const calendar of await listCalendars(db, mailbox.id)) {
        resources.push(calendarResource({ href: calendarHref(home, { address: home, slug: calendar.slug, proxy: false }), calendar, mailbox, level, proxy: false }, principal));
      }
      // Automapping: the calendars of shared mailboxes the user may open, listed beside their own.
      if (target.own) {
        for (const shared of await automappedCalendarHomes(db, principal)) {
          for (const calendar of await listCalendars(db, shared.mailbox.id)) {
            const ref = { address: shared.mailbox.primaryAddress, slug: calendar.slug, proxy: true };
            resources.push(calendarResource({ href: calendarHref(home, ref), calendar, mailbox: shared.mailbox, level: shared.level, proxy: true }, principal));
          }
        }
      }
      return resources;
    }
    case 'calendar': {
      const resources = [calendarResource(calendarView(target.target), principal)];
      if (depth === 0) return resources;
      for (const object of await listObjects(db, target.target.calendar.id)) {
        resources.push(objectResource(objectHref(target.target.href, object.name), object, target.target.home.level));
      }
      return resources;
    }
    case 'unmapped-calendar':
      throw new DavError(404, 'There is no calendar at this URL.');
    case 'object': {
      const object = await getObject(db, target.target.calendar.id, target.name);
      if (!object) throw new DavError(404, 'There is no event at this URL.');
      return [objectResource(objectHref(target.target.href, object.name), object, target.target.home.level)];
    }
  }
}

export async function propfind(request: DavRequest, parseBody: DavBodyParser, path: string): Promise<XmlNode[]> {
  const asked = parsePropfind(parseBody(request.body));
  const resources = await resourcesOf(request, depthOf(request), path);
  return resources.map((r) => propstatResponse(r, asked));
}

const maxDisplayName = 256;
const maxDescription = 4096;

/** The calendar properties a client may set, validated; anything else is protected (RFC 4918 §9.2). */
function calendarPropertiesFrom(updates: readonly PropUpdate[]): { properties: CalendarProperties; refused: PropUpdate[] } {
  const properties: { -readonly [K in keyof CalendarProperties]: CalendarProperties[K] } = {};
  const refused: PropUpdate[] = [];
  for (const update of updates) {
    const key = clark(update.name.ns, update.name.name);
    const text = update.value.text.trim();
    if (key === clark(DAV, 'displayname') && update.op === 'set' && text.length > 0 && text.length <= maxDisplayName) properties.displayName = text;
    else if (key === clark(CALDAV, 'calendar-description') && text.length <= maxDescription) properties.description = update.op === 'set' ? text : null;
    else if (key === clark(APPLE_ICAL, 'calendar-color') && (update.op === 'remove' || /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/.test(text))) properties.color = update.op === 'set' ? text : null;
    else if (key === clark(DAV, 'resourcetype') && update.op === 'set') continue; // MKCALENDAR bodies may restate it.
    else refused.push(update);
  }
  return { properties, refused };
}

/** PROPPATCH (RFC 4918 §9.2): every instruction applies or none does (424 for the rest). */
export async function proppatch(request: DavRequest, parseBody: DavBodyParser, path: string): Promise<XmlNode[]> {
  const updates = parseProppatch(parseBody(request.body));
  const { target } = request;
  if (target.kind !== 'calendar') {
    return [node(DAV, 'response', [node(DAV, 'href', path), ...propstats(updates.map((u) => ({ update: u, status: 403 })))])];
  }
  requireRight(target.target.home.level, 'write', target.target.href);
  const { properties, refused } = calendarPropertiesFrom(updates);
  const statuses = updates.map((u) => ({ update: u, status: refused.length === 0 ? 200 : refused.includes(u) ? 403 : 424 }));
  if (refused.length === 0) await commitChanges(request, [await updateCalendarProperties(request.db, target.target.calendar, properties)]);
  return [node(DAV, 'response', [node(DAV, 'href', target.target.href), ...propstats(statuses)])];
}

function propstats(statuses: readonly { update: PropUpdate; status: number }[]): XmlNode[] {
  const byStatus = new Map<number, XmlNode[]>();
  for (const { update, status } of statuses) byStatus.set(status, [...(byStatus.get(status) ?? []), node(update.name.ns, update.name.name)]);
  return [...byStatus].map(([status, props]) => node(DAV, 'propstat', [node(DAV, 'prop', props), node(DAV, 'status', statusLine(status))]));
}

/** MKCALENDAR (RFC 4791 §5.3.1): a new calendar where none is; its properties all set, or nothing made. */
export async function mkcalendar(request: DavRequest, parseBody: DavBodyParser): Promise<void> {
  const { target } = request;
  if (target.kind === 'calendar') throw new DavError(405, 'A calendar already exists at this URL.', node(DAV, 'resource-must-be-null'));
  if (target.kind !== 'unmapped-calendar') throw new DavError(403, 'Calendars can be made only inside a calendar home.', node(CALDAV, 'calendar-collection-location-ok'));
  requireRight(target.home.level, 'write', target.href);
  assertResourceName(target.slug, 'calendar');
  const { properties, refused } = calendarPropertiesFrom(parseMkcalendar(parseBody(request.body)));
  if (refused.length > 0) {
    const names = refused.map((u) => `{${u.name.ns}}${u.name.name}`).join(', ');
    throw new DavError(403, `These properties cannot be set on a new calendar: ${names}.`, node(DAV, 'valid-resourcetype'));
  }
  const result = await createCalendar(request.db, target.home.mailbox.id, target.slug, properties);
  if (result.outcome === 'exists') throw new DavError(405, 'A calendar already exists at this URL.', node(DAV, 'resource-must-be-null'));
  await commitChanges(request, [result.change]);
}
