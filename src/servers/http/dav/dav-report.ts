import type ICAL from 'ical.js';
import { parseICalendar } from '../../../protocol/ical/calendar-object.js';
import { expandInstances } from '../../../protocol/ical/expand.js';
import { matchesFilter, outerTimeRange, type CompFilter } from '../../../protocol/ical/filter.js';
import { InstanceIndex } from '../../../protocol/ical/instance-index.js';
import { busyPeriods, freeBusyCalendar, type BusyPeriod } from '../../../protocol/ical/freebusy.js';
import { overlaps } from '../../../protocol/ical/occurrences.js';
import { DavError } from '../../../protocol/webdav/errors.js';
import { parseReport, type CalendarDataRequest, type PropRequest } from '../../../protocol/webdav/requests.js';
import { DAV, node, type XmlNode } from '../../../protocol/webdav/xml.js';
import { getObjects, objectsInWindow, type CalendarObjectWithData } from '../../../store/calendar/objects.js';
import { changesSince } from '../../../store/calendar/sync.js';
import type { DavRequest } from './dav-context.js';
import { objectHref, objectNameIn } from './dav-paths.js';
import type { DavBodyParser } from './dav-propfind.js';
import { objectResource, parseSyncToken, syncToken } from './dav-properties.js';
import { propstatResponse, statusResponse } from './dav-response.js';
import type { ResolvedCalendar } from './dav-resolve.js';

export type ReportAnswer =
  | { readonly kind: 'multistatus'; readonly responses: XmlNode[]; readonly syncToken?: string }
  | { readonly kind: 'calendar'; readonly body: string };

function calendarOf(request: DavRequest, report: string): ResolvedCalendar {
  if (request.target.kind === 'calendar') return request.target.target;
  throw new DavError(403, `The ${report} report runs on a calendar collection.`, node(DAV, 'supported-report'));
}

/** calendar-data as asked: the stored text, or its instances in the expand window (RFC 4791 §9.6.5). */
function calendarData(object: CalendarObjectWithData, asked: CalendarDataRequest | null, parsed?: ICAL.Component): string | undefined {
  if (!asked) return undefined;
  if (!asked.expand) return object.ical;
  return expandInstances(parsed ?? parseICalendar(object.ical), asked.expand);
}

function objectResponses(target: ResolvedCalendar, props: PropRequest, asked: CalendarDataRequest | null, objects: readonly { object: CalendarObjectWithData; parsed?: ICAL.Component }[]): XmlNode[] {
  return objects.map(({ object, parsed }) =>
    propstatResponse(objectResource(objectHref(target.href, object.name), object, target.home.level, calendarData(object, asked, parsed)), props));
}

/** Expanded recurrences, shared by every calendar (keyed by entity tag, so never stale). */
export const instances = new InstanceIndex();

/**
 * calendar-query (RFC 4791 §7.8): candidates come from the stored spans; single events are
 * decided from their span, recurring ones and any richer filter by evaluating the filter on the
 * parsed object, so RRULE, RDATE, EXDATE and overrides count (§9.9).
 */
async function calendarQuery(request: DavRequest, filter: CompFilter): Promise<{ object: CalendarObjectWithData; parsed?: ICAL.Component }[]> {
  const target = calendarOf(request, 'calendar-query');
  const { component, window } = outerTimeRange(filter);
  const candidates = await objectsInWindow(request.db, target.calendar.id, component, window?.start ?? null, window?.end ?? null);
  const inner = filter.compFilters[0];
  const spanDecides = filter.propFilters.length === 0 && filter.compFilters.length === 1 && inner !== undefined
    && !inner.isNotDefined && inner.propFilters.length === 0 && inner.compFilters.length === 0;
  const matches: { object: CalendarObjectWithData; parsed?: ICAL.Component }[] = [];
  for (const candidate of candidates) {
    if (spanDecides && (!window || !candidate.recurring)) {
      if (!window || overlaps({ start: candidate.firstStart ?? -Infinity, end: candidate.lastEnd ?? Infinity, timed: true }, window)) matches.push({ object: candidate });
      continue;
    }
    if (spanDecides && window) {
      if (instances.overlapsWindow(candidate.etag, candidate.ical, inner.name.toLowerCase(), candidate.lastEnd, window)) matches.push({ object: candidate });
      continue;
    }
    const parsed = parseICalendar(candidate.ical);
    if (matchesFilter(parsed, filter)) matches.push({ object: candidate, parsed });
  }
  return matches;
}

/** RFC 6578 §3.2: the members changed or removed since the client's token. */
async function syncCollection(request: DavRequest, token: string, limit: number | null, props: PropRequest, asked: CalendarDataRequest | null): Promise<ReportAnswer> {
  const target = calendarOf(request, 'sync-collection');
  const since = token === '' ? 0 : parseSyncToken(target.calendar, token);
  const invalid = new DavError(403, 'This sync token is not valid for this calendar; sync again from the start.', node(DAV, 'valid-sync-token'));
  if (since === null) throw invalid;
  const result = await changesSince(request.db, target.calendar, since, limit);
  if (result.outcome === 'invalid-token') throw invalid;
  const { changes } = result;
  const changed = await getObjects(request.db, target.calendar.id, changes.changed.map((c) => c.name));
  const responses = objectResponses(target, props, asked, changed.map((object) => ({ object })));
  for (const name of changes.removed) responses.push(statusResponse(objectHref(target.href, name), 404));
  // RFC 6578 §3.6: a truncated answer says so with 507 on the collection itself.
  if (changes.truncated) responses.push(statusResponse(target.href, 507));
  return { kind: 'multistatus', responses, syncToken: syncToken(target.calendar, changes.syncSeq) };
}

export async function report(request: DavRequest, parseBody: DavBodyParser): Promise<ReportAnswer> {
  const asked = parseReport(parseBody(request.body));
  switch (asked.kind) {
    case 'calendar-multiget': {
      const target = calendarOf(request, 'calendar-multiget');
      const names = asked.hrefs.map((href) => ({ href, name: objectNameIn(target.href, href) }));
      const found = await getObjects(request.db, target.calendar.id, names.flatMap((n) => (n.name === null ? [] : [n.name])));
      const byName = new Map(found.map((o) => [o.name, o]));
      const responses: XmlNode[] = [];
      for (const { href, name } of names) {
        const object = name === null ? undefined : byName.get(name);
        responses.push(object ? objectResponses(target, asked.props, asked.calendarData, [{ object }])[0]! : statusResponse(href, 404));
      }
      return { kind: 'multistatus', responses };
    }
    case 'calendar-query': {
      const target = calendarOf(request, 'calendar-query');
      return { kind: 'multistatus', responses: objectResponses(target, asked.props, asked.calendarData, await calendarQuery(request, asked.filter)) };
    }
    case 'sync-collection':
      return syncCollection(request, asked.syncToken, asked.limit, asked.props, asked.calendarData);
    case 'free-busy-query': {
      const target = calendarOf(request, 'free-busy-query');
      const candidates = await objectsInWindow(request.db, target.calendar.id, 'VEVENT', asked.window.start, asked.window.end);
      const periods: BusyPeriod[] = candidates.flatMap((c) => busyPeriods(parseICalendar(c.ical), asked.window));
      return { kind: 'calendar', body: freeBusyCalendar(asked.window, periods) };
    }
  }
}
