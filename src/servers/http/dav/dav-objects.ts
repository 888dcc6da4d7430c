import { InvalidCalendarObject, parseCalendarObject } from '../../../protocol/ical/calendar-object.js';
import { DavError } from '../../../protocol/webdav/errors.js';
import { CALDAV, DAV, node } from '../../../protocol/webdav/xml.js';
import { deleteCalendar } from '../../../store/calendar/calendars.js';
import { deleteObject, getObject, putObject, type CalendarObjectWithData, type WritePreconditions } from '../../../store/calendar/objects.js';
import { commitChanges, header, requireRight, type DavRequest } from './dav-context.js';
import { assertResourceName, objectHref } from './dav-paths.js';
import { maxResourceSize } from './dav-properties.js';
import { instances } from './dav-report.js';

/** An If-Match / If-None-Match value: "*" or the listed tags (RFC 9110 §13.1.1); weak tags never match strongly. */
function entityTags(value: string | undefined): '*' | string[] | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '*') return '*';
  return [...value.matchAll(/(W\/)?"[^"]*"/g)].filter((m) => m[1] === undefined).map((m) => m[0]);
}

export function preconditionsOf(request: DavRequest): WritePreconditions {
  const ifMatch = entityTags(header(request, 'if-match'));
  const ifNoneMatch = entityTags(header(request, 'if-none-match'));
  return { ...(ifMatch === undefined ? {} : { ifMatch }), ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }) };
}

const preconditionFailed = (): DavError => new DavError(412, 'The event changed since you last read it (its ETag no longer matches).');

export async function readObject(request: DavRequest): Promise<CalendarObjectWithData> {
  const { target } = request;
  if (target.kind !== 'object') throw new DavError(405, 'Only events can be downloaded here; use PROPFIND or REPORT on collections.');
  const object = await getObject(request.db, target.target.calendar.id, target.name);
  if (!object) throw new DavError(404, 'There is no event at this URL.');
  return object;
}

/** PUT (RFC 4791 §5.3.2): only valid iCalendar, one UID per resource, under the request's preconditions. */
export async function putCalendarObject(request: DavRequest): Promise<{ created: boolean; etag: string }> {
  const { target } = request;
  if (target.kind !== 'object') throw new DavError(405, 'PUT stores events inside a calendar; this URL is not one.');
  const { home, calendar, href } = target.target;
  requireRight(home.level, 'write', objectHref(href, target.name));
  assertResourceName(target.name, 'object');
  const type = (header(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/calendar') {
    throw new DavError(415, `Events must be sent as text/calendar, not "${type || 'no content type'}".`, node(CALDAV, 'supported-calendar-data'));
  }
  if (Buffer.byteLength(request.body) > maxResourceSize) {
    throw new DavError(413, `An event may be at most ${maxResourceSize} bytes.`, node(CALDAV, 'max-resource-size'));
  }
  let parsed;
  try {
    parsed = parseCalendarObject(request.body);
  } catch (err) {
    if (err instanceof InvalidCalendarObject) throw new DavError(400, err.message, node(CALDAV, err.precondition));
    throw err;
  }
  const result = await putObject(request.db, calendar, target.name, request.body, parsed.summary, preconditionsOf(request));
  if (result.outcome === 'precondition-failed') throw preconditionFailed();
  if (result.outcome === 'uid-conflict') {
    throw new DavError(409, `Another event in this calendar already has the UID "${parsed.summary.uid}".`,
      node(CALDAV, 'no-uid-conflict', [node(DAV, 'href', objectHref(href, result.existingName))]));
  }
  await commitChanges(request, [result.change]);
  const { summary } = parsed;
  if (summary.recurring) instances.prewarm(result.object.etag, request.body, summary.component.toLowerCase(), summary.lastEnd === null ? null : Date.parse(summary.lastEnd));
  return { created: result.created, etag: result.object.etag };
}

/** DELETE of an event, or of a calendar other than the default one. */
export async function deleteResource(request: DavRequest): Promise<void> {
  const { target } = request;
  if (target.kind === 'calendar') {
    requireRight(target.target.home.level, 'remove', target.target.href);
    if (target.target.calendar.isDefault) throw new DavError(403, 'The default calendar of a mailbox cannot be deleted.');
    await commitChanges(request, [await deleteCalendar(request.db, target.target.calendar)]);
    return;
  }
  if (target.kind !== 'object') throw new DavError(403, 'This resource cannot be deleted.');
  const { home, calendar, href } = target.target;
  requireRight(home.level, 'remove', objectHref(href, target.name));
  const result = await deleteObject(request.db, calendar, target.name, preconditionsOf(request));
  if (result.outcome === 'not-found') throw new DavError(404, 'There is no event at this URL.');
  if (result.outcome === 'precondition-failed') throw preconditionFailed();
  await commitChanges(request, [result.change]);
}
