import type { Kysely } from 'kysely';
import { NotFound } from '../../../core/errors.js';
import type { Principal } from '../../../directory/accounts.js';
import { DavError } from '../../../protocol/webdav/errors.js';
import { openCalendarHome, type CalendarHome } from '../../../store/calendar/access.js';
import { findCalendar, type Calendar } from '../../../store/calendar/calendars.js';
import type { Database } from '../../../store/sql/schema.js';
import { calendarHref, homeHref, type CalendarRef, type DavPath } from './dav-paths.js';

type Db = Kysely<Database>;

export interface ResolvedCalendar {
  readonly home: CalendarHome;
  readonly calendar: Calendar;
  /** Where the client addressed it (its own place or a proxy in the user's home). */
  readonly href: string;
  readonly ref: CalendarRef;
}

export type DavTarget =
  | { readonly kind: 'root' | 'principals' | 'calendars' }
  | { readonly kind: 'principal'; readonly home: CalendarHome }
  | { readonly kind: 'home'; readonly home: CalendarHome; readonly href: string; readonly own: boolean }
  | { readonly kind: 'calendar'; readonly target: ResolvedCalendar }
  /** A calendar URL with nothing there yet (MKCALENDAR creates it). */
  | { readonly kind: 'unmapped-calendar'; readonly home: CalendarHome; readonly slug: string; readonly href: string }
  | { readonly kind: 'object'; readonly target: ResolvedCalendar; readonly name: string }
  | { readonly kind: 'outbox'; readonly home: CalendarHome };

const notFound = (): DavError => new DavError(404, 'Nothing lives at this URL, or you may not see it.');

/** Opens a mailbox's calendars for the principal; no access reads exactly like no mailbox (store/mail/access.ts). */
export async function homeFor(db: Db, principal: Principal, address: string): Promise<CalendarHome> {
  try {
    return await openCalendarHome(db, principal, address);
  } catch (err) {
    if (err instanceof NotFound) throw notFound();
    throw err;
  }
}

async function calendarFor(db: Db, principal: Principal, home: string, ref: CalendarRef): Promise<{ resolved?: ResolvedCalendar; home: CalendarHome }> {
  if (ref.proxy) {
    // A proxy lives only in the principal's own home.
    const owner = await homeFor(db, principal, home);
    if (owner.level !== 'owner') throw notFound();
  }
  const opened = await homeFor(db, principal, ref.address);
  const calendar = await findCalendar(db, opened.mailbox.id, ref.slug);
  const href = calendarHref(home, ref);
  return calendar ? { home: opened, resolved: { home: opened, calendar, href, ref } } : { home: opened };
}

/** Resolves a parsed /dav/ path for the principal, or DavError 404. */
export async function resolveTarget(db: Db, principal: Principal, path: DavPath): Promise<DavTarget> {
  switch (path.kind) {
    case 'root':
    case 'principals':
    case 'calendars':
      return { kind: path.kind };
    case 'principal':
      return { kind: 'principal', home: await homeFor(db, principal, path.address) };
    case 'home': {
      const home = await homeFor(db, principal, path.address);
      return { kind: 'home', home, href: homeHref(path.address), own: home.level === 'owner' };
    }
    case 'calendar': {
      const { resolved, home } = await calendarFor(db, principal, path.home, path.calendar);
      if (resolved) return { kind: 'calendar', target: resolved };
      if (path.calendar.proxy) throw notFound();
      return { kind: 'unmapped-calendar', home, slug: path.calendar.slug, href: calendarHref(path.home, path.calendar) };
    }
    case 'outbox': {
      // Only its owner schedules from an outbox.
      const home = await homeFor(db, principal, path.address);
      if (home.level !== 'owner') throw notFound();
      return { kind: 'outbox', home };
    }
    case 'object': {
      const { resolved } = await calendarFor(db, principal, path.home, path.calendar);
      if (!resolved) throw notFound();
      return { kind: 'object', target: resolved, name: path.name };
    }
  }
}
