// RFC 5322 §3.3 date-time (with the §4.3 obsolete forms) to an instant.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// RFC 5322 §4.3: obsolete zone names; military zones are treated as +0000 as the RFC advises.
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, edt: -4 * 60, est: -5 * 60, cdt: -5 * 60, cst: -6 * 60,
  mdt: -6 * 60, mst: -7 * 60, pdt: -7 * 60, pst: -8 * 60,
};

const DATE_TIME =
  /^(?:[a-z]{3,9}\s*,?\s*)?(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?\s*(?:([+-])(\d{2}):?(\d{2})|([a-z]{1,5}))?/i;

/** The Date header as a UTC instant, or null when it cannot be read. */
export function parseMessageDate(value: string | null): Date | null {
  if (value === null) return null;
  // Comments such as "(CEST)" are dropped; only a short prefix can hold a date.
  const text = value.slice(0, 200).replace(/\([^()]*\)/g, ' ').trim();
  const m = DATE_TIME.exec(text);
  if (m) {
    const [, dd, mon, yy, hh, mi, ss, sign, zh, zm, zoneName] = m;
    const month = MONTHS.indexOf(mon!.slice(0, 3).toLowerCase());
    let year = Number(yy);
    // RFC 5322 §4.3: two-digit years 00-49 are 20xx, 50-99 are 19xx; three digits add 1900.
    if (yy!.length === 2) year += year < 50 ? 2000 : 1900;
    else if (yy!.length === 3) year += 1900;
    let offset = 0;
    if (sign !== undefined) offset = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
    else if (zoneName !== undefined) offset = ZONES[zoneName.toLowerCase()] ?? 0;
    const day = Number(dd);
    const hour = Number(hh);
    const minute = Number(mi);
    const second = ss === undefined ? 0 : Number(ss);
    if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
    const ms = Date.UTC(year, month, day, hour, minute, Math.min(second, 59)) - offset * 60_000;
    return Number.isFinite(ms) ? new Date(ms) : null;
  }
  // Some mailers write ISO 8601; accept that, and nothing looser.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? new Date(ms) : null;
  }
  return null;
}
