import ICAL from 'ical.js';
import { eachInstance, overlaps, type TimeWindow } from './occurrences.js';

/** Collations a text-match may name (RFC 4791 §7.5.1: i;ascii-casemap and i;octet at least). */
export const collations = ['i;ascii-casemap', 'i;octet', 'i;unicode-casemap'] as const;
export type Collation = (typeof collations)[number];

/** CALDAV:text-match (RFC 4791 §9.7.5): substring match under a collation (RFC 4790). */
export interface TextMatch { readonly text: string; readonly collation: Collation; readonly negate: boolean }

export interface ParamFilter { readonly name: string; readonly isNotDefined: boolean; readonly textMatch: TextMatch | null }

export interface PropFilter {
  readonly name: string;
  readonly isNotDefined: boolean;
  readonly timeRange: TimeWindow | null;
  readonly textMatch: TextMatch | null;
  readonly paramFilters: readonly ParamFilter[];
}

export interface CompFilter {
  /** Upper case, e.g. VCALENDAR, VEVENT. */
  readonly name: string;
  readonly isNotDefined: boolean;
  readonly timeRange: TimeWindow | null;
  readonly propFilters: readonly PropFilter[];
  readonly compFilters: readonly CompFilter[];
}

/** The time range of the VCALENDAR > component filter, which the store can use to narrow candidates. */
export function outerTimeRange(filter: CompFilter): { component: string | null; window: TimeWindow | null } {
  const inner = filter.compFilters.length === 1 ? filter.compFilters[0]! : null;
  if (!inner || inner.isNotDefined) return { component: inner && !inner.isNotDefined ? inner.name : null, window: null };
  return { component: inner.name, window: inner.timeRange };
}

/** RFC 4791 §9.7.1: does the VCALENDAR satisfy the CALDAV:filter's top comp-filter? */
export function matchesFilter(root: ICAL.Component, filter: CompFilter): boolean {
  if (filter.name !== 'VCALENDAR') return false;
  if (filter.isNotDefined) return false;
  return componentMatches(root, root, filter);
}

function componentMatches(root: ICAL.Component, component: ICAL.Component, filter: CompFilter): boolean {
  return filter.propFilters.every((p) => propertyMatches(component, p))
    && filter.compFilters.every((c) => subcomponentsMatch(root, component, c));
}

/** A comp-filter on children: is-not-defined means none exists; otherwise one child must match everything. */
function subcomponentsMatch(root: ICAL.Component, parent: ICAL.Component, filter: CompFilter): boolean {
  const name = filter.name.toLowerCase();
  const children = parent.getAllSubcomponents(name);
  if (filter.isNotDefined) return children.length === 0;
  if (children.length === 0) return false;
  if (!filter.timeRange) return children.some((child) => componentMatches(root, child, filter));
  if (name === 'valarm') return children.some((child) => componentMatches(root, child, filter));
  // RFC 4791 §9.9: a recurring component matches when any of its instances overlaps the range.
  let found = false;
  const window = filter.timeRange;
  // Instances are expanded from the whole VCALENDAR (master and overrides of the parent's type).
  const scope = parent === root ? root : parent;
  eachInstance(scope, name, window, (instance) => {
    if (overlaps(instance, window) && componentMatches(root, instance.component, filter)) {
      found = true;
      return false;
    }
    return undefined;
  });
  return found;
}

function propertyMatches(component: ICAL.Component, filter: PropFilter): boolean {
  const props = component.getAllProperties(filter.name.toLowerCase());
  if (filter.isNotDefined) return props.length === 0;
  if (props.length === 0) return false;
  return props.some((prop) => {
    if (filter.timeRange) {
      const value = prop.getFirstValue();
      if (!(value instanceof ICAL.Time)) return false;
      const at = value.toUnixTime() * 1000;
      if (!overlaps({ start: at, end: at, timed: true }, filter.timeRange)) return false;
    }
    if (filter.textMatch && !textMatches(prop.getValues().map(String).join(','), filter.textMatch)) return false;
    return filter.paramFilters.every((p) => {
      const value = prop.getParameter(p.name.toLowerCase());
      if (p.isNotDefined) return value === undefined || value === null;
      if (value === undefined || value === null) return false;
      return p.textMatch === null || textMatches(Array.isArray(value) ? value.join(',') : String(value), p.textMatch);
    });
  });
}

/** RFC 4790 §9.2 (i;ascii-casemap) folds ASCII letters only; i;octet compares bytes; RFC 5051 folds all of Unicode. */
export function textMatches(value: string, match: TextMatch): boolean {
  const fold = (s: string): string => {
    if (match.collation === 'i;octet') return s;
    if (match.collation === 'i;unicode-casemap') return s.normalize('NFKD').toLowerCase();
    return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  };
  const found = fold(value).includes(fold(match.text));
  return match.negate ? !found : found;
}
