// SORT's keys (RFC 5256 §3, RFC 5957) computed from the stored columns.
import type { SortCriterion, SortKey } from '../../../protocol/imap/index.js';
import { parseAddressList } from '../../../protocol/mime/addresses.js';
import type { MessageColumn, MessageRow } from '../../../store/mail/message-index.js';
import { baseSubject } from './base-subject.js';

const COLUMNS: Record<SortKey, readonly MessageColumn[]> = {
  ARRIVAL: ['internal_date'],
  DATE: ['date_sent', 'internal_date'],
  SIZE: ['size'],
  SUBJECT: ['subject'],
  FROM: ['from_text'], DISPLAYFROM: ['from_text'],
  TO: ['to_text'], DISPLAYTO: ['to_text'],
  CC: ['cc_text'],
};

export function sortColumns(criteria: readonly SortCriterion[]): MessageColumn[] {
  return [...new Set(criteria.flatMap((c) => COLUMNS[c.key]))];
}

/** RFC 5256 §2.2: the sent date (Date header), or the internal date when there is none. */
export const sentDate = (row: MessageRow): number => Date.parse(row.date_sent ?? row.internal_date);

/** RFC 5256 §3 FROM/TO/CC: the local part of the first address; RFC 5957 §3 DISPLAY*: its display name, else the address. */
function addressKey(text: string, display: boolean): string {
  const first = parseAddressList(text).find((a) => a.host !== null || a.mailbox !== null);
  if (!first) return '';
  if (display) {
    if (first.name) return first.name.toUpperCase();
    return `${first.mailbox ?? ''}${first.host ? `@${first.host}` : ''}`.toUpperCase();
  }
  return (first.mailbox ?? '').toUpperCase();
}

function keyOf(row: MessageRow, key: SortKey): string | number {
  switch (key) {
    case 'ARRIVAL': return Date.parse(row.internal_date);
    case 'DATE': return sentDate(row);
    case 'SIZE': return Number(row.size);
    case 'SUBJECT': return baseSubject(row.subject).base;
    case 'FROM': return addressKey(row.from_text, false);
    case 'TO': return addressKey(row.to_text, false);
    case 'CC': return addressKey(row.cc_text, false);
    case 'DISPLAYFROM': return addressKey(row.from_text, true);
    case 'DISPLAYTO': return addressKey(row.to_text, true);
  }
}

const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders [sequence, uid] pairs by the criteria, each possibly REVERSEd; equal messages stay in
 * sequence order (RFC 5256 §3: the sequence number is the final, unreversed tie-break).
 */
export function sortPairs(pairs: ReadonlyArray<[number, number]>, rows: ReadonlyMap<number, MessageRow>, criteria: readonly SortCriterion[]): Array<[number, number]> {
  const keyed = pairs.map((pair) => {
    const row = rows.get(pair[1])!;
    return { pair, keys: criteria.map((c) => keyOf(row, c.key)) };
  });
  keyed.sort((x, y) => {
    for (let i = 0; i < criteria.length; i++) {
      const order = compare(x.keys[i]!, y.keys[i]!);
      if (order !== 0) return criteria[i]!.reverse ? -order : order;
    }
    return x.pair[0] - y.pair[0];
  });
  return keyed.map((k) => k.pair);
}
