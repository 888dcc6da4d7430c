import { DavError } from '../../../protocol/webdav/errors.js';

export const davRoot = '/dav/';

/**
 * A calendar as seen from a URL: the mailbox and slug it really is. A proxy is a shared
 * mailbox's calendar listed in the user's own home as `shared~<address>~<slug>` (automapping).
 */
export interface CalendarRef { readonly address: string; readonly slug: string; readonly proxy: boolean }

/** Where a /dav/ URL points. Addresses are as written in the URL; nothing is looked up yet. */
export type DavPath =
  | { readonly kind: 'root' }
  | { readonly kind: 'principals' }
  | { readonly kind: 'principal'; readonly address: string }
  | { readonly kind: 'calendars' }
  | { readonly kind: 'home'; readonly address: string }
  | { readonly kind: 'calendar'; readonly home: string; readonly calendar: CalendarRef }
  | { readonly kind: 'object'; readonly home: string; readonly calendar: CalendarRef; readonly name: string }
  /** RFC 6638 §2.2: the principal's scheduling outbox, where free/busy requests are POSTed. */
  | { readonly kind: 'outbox'; readonly address: string };

export const proxyPrefix = 'shared~';

/** A path segment, percent-encoded except for characters that are safe and readable in hrefs ("@"). */
export const encodeSegment = (segment: string): string => encodeURIComponent(segment).replace(/%40/g, '@');

const segmentProblem = (segment: string): string | null => {
  if (segment === '.' || segment === '..') return 'a "." or ".." segment';
  if (/[/\\]/.test(segment)) return 'an encoded slash';
  if (/[\u0000-\u001f\u007f]/.test(segment)) return 'a control character';
  if (segment.length > 255) return 'a segment longer than 255 characters';
  return null;
};

/**
 * Parses the path of a /dav/ request. Segments are decoded one by one and refused when they
 * could climb out of their place (".", "..", encoded slashes) rather than normalized, so no
 * URL ever reaches another mailbox's data by a detour (RFC 3986 §5.2.4 dot-segments).
 */
export function parseDavPath(url: string): DavPath {
  const path = url.split('?')[0] ?? '';
  if (path !== '/dav' && !path.startsWith(davRoot)) throw new DavError(404, 'Not a /dav/ path.');
  const raw = path.slice(davRoot.length).split('/');
  if (raw.at(-1) === '') raw.pop();
  const segments = raw.map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new DavError(400, `The URL segment "${segment}" is not valid percent-encoding.`);
    }
    const problem = segment === '' ? 'an empty segment' : segmentProblem(decoded);
    if (problem) throw new DavError(400, `The URL has ${problem}; such paths are refused.`);
    return decoded;
  });
  const [area, address, collection, name, ...rest] = segments;
  if (area === undefined) return { kind: 'root' };
  if (area === 'principals') {
    if (address === undefined) return { kind: 'principals' };
    if (collection === undefined) return { kind: 'principal', address };
  }
  if (area === 'outbox' && address !== undefined && collection === undefined) return { kind: 'outbox', address };
  if (area === 'calendars' && rest.length === 0) {
    if (address === undefined) return { kind: 'calendars' };
    if (collection === undefined) return { kind: 'home', address };
    const calendar = calendarRef(address, collection);
    if (name === undefined) return { kind: 'calendar', home: address, calendar };
    return { kind: 'object', home: address, calendar, name };
  }
  throw new DavError(404, 'Nothing lives at this URL.');
}

function calendarRef(home: string, collection: string): CalendarRef {
  if (!collection.startsWith(proxyPrefix)) return { address: home, slug: collection, proxy: false };
  const rest = collection.slice(proxyPrefix.length);
  const at = rest.lastIndexOf('~');
  if (at <= 0 || at === rest.length - 1) throw new DavError(404, 'Nothing lives at this URL.');
  return { address: rest.slice(0, at), slug: rest.slice(at + 1), proxy: true };
}

export const principalHref = (address: string): string => `${davRoot}principals/${encodeSegment(address)}/`;
export const homeHref = (address: string): string => `${davRoot}calendars/${encodeSegment(address)}/`;
export const outboxHref = (address: string): string => `${davRoot}outbox/${encodeSegment(address)}/`;

/** The href of a calendar: its own place, or its proxy in another user's home. */
export function calendarHref(home: string, ref: CalendarRef): string {
  const segment = ref.proxy ? `${proxyPrefix}${ref.address}~${ref.slug}` : ref.slug;
  return `${homeHref(home)}${encodeSegment(segment)}/`;
}

export const objectHref = (calendar: string, name: string): string => `${calendar}${encodeSegment(name)}`;

/** The object name an href in a multiget names, when it lies inside `calendar` (an absolute URL or a path). */
export function objectNameIn(calendar: string, href: string): string | null {
  let path = href;
  try {
    path = new URL(href, 'http://host').pathname;
  } catch {
    return null;
  }
  const decodedBase = safeDecode(calendar);
  const decoded = safeDecode(path);
  if (decodedBase === null || decoded === null || !decoded.startsWith(decodedBase)) return null;
  const name = decoded.slice(decodedBase.length);
  return name === '' || segmentProblem(name) !== null ? null : name;
}

function safeDecode(path: string): string | null {
  try {
    return path.split('/').map((s) => decodeURIComponent(s)).join('/');
  } catch {
    return null;
  }
}

/** Names a client may give a calendar (MKCALENDAR) or an object (PUT); "~" is kept for automapped proxies. */
export function assertResourceName(name: string, what: 'calendar' | 'object'): void {
  const bad = name.length === 0 || segmentProblem(name) !== null || (what === 'calendar' && name.includes('~'));
  if (bad) throw new DavError(403, `"${name}" cannot name a ${what} here.`);
}
