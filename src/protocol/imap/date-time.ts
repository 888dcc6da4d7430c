// IMAP dates: date-time for APPEND and INTERNALDATE ("17-Jul-1996 02:44:25 -0700"), and the
// day-only date of SEARCH (RFC 3501 §9 date, date-time).

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function monthIndex(name: string): number {
  return MONTHS.findIndex((m) => m.toLowerCase() === name.toLowerCase());
}

function validDay(year: number, month: number, day: number): boolean {
  return day >= 1 && day <= new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

// date-day-fixed = (SP DIGIT) / 2DIGIT; a single digit is accepted too, as clients send it.
const DATE_TIME = /^ ?([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})$/;

/** Parses an RFC 3501 date-time (the text inside the quotes); null when invalid. */
export function parseDateTime(text: string): Date | null {
  const m = DATE_TIME.exec(text);
  if (m === null) return null;
  const [, dd, mon, yyyy, hh, mi, ss, sign, zh, zm] = m;
  const month = monthIndex(mon!);
  const year = Number(yyyy);
  const day = Number(dd);
  const hour = Number(hh);
  const minute = Number(mi);
  const second = Number(ss);
  if (month < 0 || !validDay(year, month, day) || hour > 23 || minute > 59 || second > 60) return null;
  if (Number(zh) > 23 || Number(zm) > 59) return null;
  const offset = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  return new Date(Date.UTC(year, month, day, hour, minute, Math.min(second, 59)) - offset * 60_000);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Writes a date-time ("17-Jul-1996 02:44:25 -0700") for the zone `offsetMinutes` east of UTC
 * (default UTC), as INTERNALDATE is sent.
 */
export function formatDateTime(date: Date, offsetMinutes = 0): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const abs = Math.abs(offsetMinutes);
  const zone = `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  return `${pad(local.getUTCDate())}-${MONTHS[local.getUTCMonth()]}-${pad(local.getUTCFullYear(), 4)} `
    + `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${zone}`;
}

const DATE = /^([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4})$/;

/** Parses a SEARCH date ("1-Feb-1994") into "1994-02-01"; null when invalid. */
export function parseSearchDate(text: string): string | null {
  const m = DATE.exec(text);
  if (m === null) return null;
  const month = monthIndex(m[2]!);
  const year = Number(m[3]);
  const day = Number(m[1]);
  if (month < 0 || !validDay(year, month, day)) return null;
  return `${pad(year, 4)}-${pad(month + 1)}-${pad(day)}`;
}
