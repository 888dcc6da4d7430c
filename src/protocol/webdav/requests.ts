import { collations, type Collation, type CompFilter, type ParamFilter, type PropFilter, type TextMatch } from '../ical/filter.js';
import type { TimeWindow } from '../ical/occurrences.js';
import { DavError } from './errors.js';
import { CALDAV, DAV, childOf, childrenOf, isElement, node, type XmlElement } from './xml.js';

export interface PropName { readonly ns: string; readonly name: string }

/** What a PROPFIND (or a REPORT's DAV:prop) asks for (RFC 4918 §9.1). */
export type PropRequest =
  | { readonly kind: 'allprop'; readonly include: readonly PropName[] }
  | { readonly kind: 'propname' }
  | { readonly kind: 'prop'; readonly props: readonly PropName[] };

export interface PropUpdate { readonly op: 'set' | 'remove'; readonly name: PropName; readonly value: XmlElement }

/** CALDAV:calendar-data in a REPORT: the expand window when instances are asked for (RFC 4791 §9.6.5). */
export interface CalendarDataRequest { readonly expand: TimeWindow | null }

export type ReportRequest =
  | { readonly kind: 'calendar-multiget'; readonly props: PropRequest; readonly calendarData: CalendarDataRequest | null; readonly hrefs: readonly string[] }
  | { readonly kind: 'calendar-query'; readonly props: PropRequest; readonly calendarData: CalendarDataRequest | null; readonly filter: CompFilter }
  | { readonly kind: 'sync-collection'; readonly props: PropRequest; readonly calendarData: CalendarDataRequest | null; readonly syncToken: string; readonly limit: number | null }
  | { readonly kind: 'free-busy-query'; readonly window: { start: number; end: number } };

const bad = (message: string, condition?: string, ns: string = DAV): DavError => new DavError(400, message, condition ? node(ns, condition) : undefined);

const propNames = (prop: XmlElement): PropName[] => prop.children.map((c) => ({ ns: c.ns, name: c.name }));

/** RFC 4918 §9.1: an empty body means allprop. */
export function parsePropfind(body: XmlElement | null): PropRequest {
  if (!body) return { kind: 'allprop', include: [] };
  if (!isElement(body, DAV, 'propfind')) throw bad('The PROPFIND body must be a DAV:propfind element.');
  return propRequestIn(body) ?? (() => { throw bad('DAV:propfind needs DAV:prop, DAV:allprop or DAV:propname.'); })();
}

function propRequestIn(parent: XmlElement): PropRequest | null {
  const prop = childOf(parent, DAV, 'prop');
  if (childOf(parent, DAV, 'propname')) return { kind: 'propname' };
  if (childOf(parent, DAV, 'allprop')) {
    const include = childOf(parent, DAV, 'include');
    return { kind: 'allprop', include: include ? propNames(include) : [] };
  }
  if (prop) return { kind: 'prop', props: propNames(prop) };
  return null;
}

/** RFC 4918 §9.2: DAV:set and DAV:remove instructions, in document order. */
export function parseProppatch(body: XmlElement | null): PropUpdate[] {
  if (!body || !isElement(body, DAV, 'propertyupdate')) throw bad('The PROPPATCH body must be a DAV:propertyupdate element.');
  return updatesIn(body);
}

function updatesIn(parent: XmlElement): PropUpdate[] {
  const updates: PropUpdate[] = [];
  for (const instruction of parent.children) {
    if (instruction.ns !== DAV || (instruction.name !== 'set' && instruction.name !== 'remove')) continue;
    const prop = childOf(instruction, DAV, 'prop');
    if (!prop) throw bad(`DAV:${instruction.name} needs a DAV:prop element.`);
    for (const value of prop.children) updates.push({ op: instruction.name, name: { ns: value.ns, name: value.name }, value });
  }
  return updates;
}

/** RFC 4791 §5.3.1: an optional CALDAV:mkcalendar body holding DAV:set instructions. */
export function parseMkcalendar(body: XmlElement | null): PropUpdate[] {
  if (!body) return [];
  if (!isElement(body, CALDAV, 'mkcalendar')) throw bad('The MKCALENDAR body must be a CALDAV:mkcalendar element.');
  return updatesIn(body);
}

/** RFC 4791 §9.9: UTC date-time, "20060104T000000Z". */
export function parseUtcDateTime(value: string | undefined, what: string): number | null {
  if (value === undefined) return null;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  if (!m) throw bad(`The ${what} "${value}" is not a UTC date-time like 20060104T000000Z.`, 'valid-filter', CALDAV);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(t);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 60) {
    throw bad(`The ${what} "${value}" is not a real date-time.`, 'valid-filter', CALDAV);
  }
  return t;
}

function timeRangeOf(el: XmlElement | undefined): TimeWindow | null {
  if (!el) return null;
  const start = parseUtcDateTime(el.attrs.start, 'time-range start');
  const end = parseUtcDateTime(el.attrs.end, 'time-range end');
  if (start === null && end === null) throw bad('A time-range needs a start or an end (RFC 4791 §9.9).', 'valid-filter', CALDAV);
  if (start !== null && end !== null && end <= start) throw bad('A time-range must end after it starts.', 'valid-filter', CALDAV);
  return { start, end };
}

function textMatchOf(el: XmlElement | undefined): TextMatch | null {
  if (!el) return null;
  const collation = (el.attrs.collation ?? 'i;ascii-casemap') as Collation;
  if (!collations.includes(collation)) {
    throw new DavError(403, `The collation "${collation}" is not supported; use i;ascii-casemap, i;octet or i;unicode-casemap.`, node(CALDAV, 'supported-collation'));
  }
  return { text: el.text, collation, negate: el.attrs['negate-condition'] === 'yes' };
}

function paramFilterOf(el: XmlElement): ParamFilter {
  const name = el.attrs.name;
  if (!name) throw bad('A param-filter needs a name.', 'valid-filter', CALDAV);
  return { name, isNotDefined: childOf(el, CALDAV, 'is-not-defined') !== undefined, textMatch: textMatchOf(childOf(el, CALDAV, 'text-match')) };
}

function propFilterOf(el: XmlElement): PropFilter {
  const name = el.attrs.name;
  if (!name) throw bad('A prop-filter needs a name.', 'valid-filter', CALDAV);
  return {
    name,
    isNotDefined: childOf(el, CALDAV, 'is-not-defined') !== undefined,
    timeRange: timeRangeOf(childOf(el, CALDAV, 'time-range')),
    textMatch: textMatchOf(childOf(el, CALDAV, 'text-match')),
    paramFilters: childrenOf(el, CALDAV, 'param-filter').map(paramFilterOf),
  };
}

function compFilterOf(el: XmlElement): CompFilter {
  const name = el.attrs.name?.toUpperCase();
  if (!name) throw bad('A comp-filter needs a name.', 'valid-filter', CALDAV);
  return {
    name,
    isNotDefined: childOf(el, CALDAV, 'is-not-defined') !== undefined,
    timeRange: timeRangeOf(childOf(el, CALDAV, 'time-range')),
    propFilters: childrenOf(el, CALDAV, 'prop-filter').map(propFilterOf),
    compFilters: childrenOf(el, CALDAV, 'comp-filter').map(compFilterOf),
  };
}

function calendarDataOf(props: PropRequest): CalendarDataRequest | null {
  if (props.kind !== 'prop') return null;
  const asked = props.props.find((p) => p.ns === CALDAV && p.name === 'calendar-data');
  return asked ? { expand: null } : null;
}

/** The CALDAV:calendar-data element of a REPORT's DAV:prop, with its CALDAV:expand window. */
function calendarDataIn(report: XmlElement, props: PropRequest): CalendarDataRequest | null {
  const prop = childOf(report, DAV, 'prop');
  const element = prop ? childOf(prop, CALDAV, 'calendar-data') : undefined;
  const expand = element ? childOf(element, CALDAV, 'expand') : undefined;
  if (!expand) return calendarDataOf(props);
  const start = parseUtcDateTime(expand.attrs.start, 'expand start');
  const end = parseUtcDateTime(expand.attrs.end, 'expand end');
  if (start === null || end === null || end <= start) throw bad('CALDAV:expand needs a start and a later end (RFC 4791 §9.6.5).', 'valid-filter', CALDAV);
  return { expand: { start, end } };
}

/** The REPORTs this server answers: RFC 4791 §7.8–7.10 and RFC 6578 §3.2. */
export function parseReport(body: XmlElement | null): ReportRequest {
  if (!body) throw bad('A REPORT needs a body naming the report.');
  const props = propRequestIn(body) ?? { kind: 'allprop', include: [] };
  if (isElement(body, CALDAV, 'calendar-multiget')) {
    const hrefs = childrenOf(body, DAV, 'href').map((h) => h.text.trim()).filter((h) => h !== '');
    return { kind: 'calendar-multiget', props, calendarData: calendarDataIn(body, props), hrefs };
  }
  if (isElement(body, CALDAV, 'calendar-query')) {
    const filter = childOf(body, CALDAV, 'filter');
    const top = filter ? childrenOf(filter, CALDAV, 'comp-filter') : [];
    // RFC 4791 §9.7: exactly one comp-filter, for VCALENDAR.
    if (top.length !== 1 || top[0]!.attrs.name?.toUpperCase() !== 'VCALENDAR') {
      throw new DavError(403, 'A calendar-query filter must hold one comp-filter named VCALENDAR (RFC 4791 §9.7).', node(CALDAV, 'valid-filter'));
    }
    return { kind: 'calendar-query', props, calendarData: calendarDataIn(body, props), filter: compFilterOf(top[0]!) };
  }
  if (isElement(body, DAV, 'sync-collection')) {
    const level = childOf(body, DAV, 'sync-level')?.text.trim() ?? '1';
    // RFC 6578 §3.3: a calendar collection has no child collections, so infinite reports the same as 1.
    if (level !== '1' && level !== 'infinite') throw bad('DAV:sync-level must be 1 or infinite.');
    const limitText = childOf(childOf(body, DAV, 'limit') ?? body, DAV, 'nresults')?.text.trim();
    const limit = limitText === undefined ? null : Number(limitText);
    if (limit !== null && (!Number.isInteger(limit) || limit < 1)) throw bad('DAV:nresults must be a positive whole number.');
    return { kind: 'sync-collection', props, calendarData: calendarDataIn(body, props), syncToken: childOf(body, DAV, 'sync-token')?.text.trim() ?? '', limit };
  }
  if (isElement(body, CALDAV, 'free-busy-query')) {
    const range = timeRangeOf(childOf(body, CALDAV, 'time-range'));
    if (!range || range.start === null || range.end === null) throw bad('A free-busy-query needs a time-range with start and end (RFC 4791 §7.10).', 'valid-filter', CALDAV);
    return { kind: 'free-busy-query', window: { start: range.start, end: range.end } };
  }
  throw new DavError(403, `The report {${body.ns}}${body.name} is not supported here.`, node(DAV, 'supported-report'));
}
