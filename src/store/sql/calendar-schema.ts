/** Tables of the calendar store (migration 0007). Same portability rules as schema.ts. */
export interface CalendarTable {
  id: string;
  mailbox_id: string;
  /** The calendar's URL segment under /dav/calendars/<address>/, unique per mailbox. */
  slug: string;
  display_name: string;
  description: string | null;
  /** CalDAV/Apple calendar-color, e.g. "#0078D4FF". */
  color: string | null;
  is_default: number;
  /** Last change number; the sync token and ctag (RFC 6578 §3.2). */
  sync_seq: number;
  created_at: string;
}

export interface CalendarObjectTable {
  id: string;
  calendar_id: string;
  /** The resource name in its calendar's URL, e.g. "3f2a….ics". */
  name: string;
  uid: string;
  etag: string;
  /** VEVENT, VTODO or VJOURNAL. */
  component: string;
  ical: string;
  size: number;
  first_start: string | null;
  last_end: string | null;
  recurring: number;
  modseq: number;
  created_at: string;
  updated_at: string;
}

export interface CalendarTombstoneTable { calendar_id: string; name: string; modseq: number }

export interface CalendarTables {
  calendars: CalendarTable;
  calendar_objects: CalendarObjectTable;
  calendar_tombstones: CalendarTombstoneTable;
}
