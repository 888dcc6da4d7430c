import type { Kysely } from 'kysely';
import { newId, nowIso } from '../../core/ids.js';
import type { MailChange } from '../change-feed.js';
import type { CalendarTable } from '../sql/calendar-schema.js';
import type { Database } from '../sql/schema.js';

type Db = Kysely<Database>;

/** The URL segment and name of the calendar every mailbox has. */
export const defaultCalendarSlug = 'calendar';
export const defaultCalendarName = 'Calendar';

export interface Calendar {
  readonly id: string;
  readonly mailboxId: string;
  readonly slug: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly color: string | null;
  readonly isDefault: boolean;
  /** The change counter behind the sync token and ctag. */
  readonly syncSeq: number;
}

export interface CalendarProperties {
  readonly displayName?: string;
  readonly description?: string | null;
  readonly color?: string | null;
}

const toCalendar = (row: CalendarTable): Calendar => ({
  id: row.id,
  mailboxId: row.mailbox_id,
  slug: row.slug,
  displayName: row.display_name,
  description: row.description,
  color: row.color,
  isDefault: row.is_default === 1,
  syncSeq: Number(row.sync_seq),
});

/** Creates the mailbox's default calendar when it has none; idempotent and safe under concurrency. */
export async function ensureDefaultCalendar(db: Db, mailboxId: string): Promise<void> {
  await db.insertInto('calendars').values({
    id: newId(), mailbox_id: mailboxId, slug: defaultCalendarSlug, display_name: defaultCalendarName,
    description: null, color: null, is_default: 1, sync_seq: 0, created_at: nowIso(),
  }).onConflict((oc) => oc.columns(['mailbox_id', 'slug']).doNothing()).execute();
}

/** The mailbox's calendars, default first; the default one is created on first use. */
export async function listCalendars(db: Db, mailboxId: string): Promise<Calendar[]> {
  let rows = await db.selectFrom('calendars').selectAll().where('mailbox_id', '=', mailboxId).execute();
  if (!rows.some((r) => r.is_default === 1)) {
    await ensureDefaultCalendar(db, mailboxId);
    rows = await db.selectFrom('calendars').selectAll().where('mailbox_id', '=', mailboxId).execute();
  }
  return rows.map(toCalendar).sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.slug.localeCompare(b.slug));
}

export async function findCalendar(db: Db, mailboxId: string, slug: string): Promise<Calendar | undefined> {
  const row = await db.selectFrom('calendars').selectAll().where('mailbox_id', '=', mailboxId).where('slug', '=', slug).executeTakeFirst();
  if (row) return toCalendar(row);
  if (slug !== defaultCalendarSlug) return undefined;
  await ensureDefaultCalendar(db, mailboxId);
  const created = await db.selectFrom('calendars').selectAll().where('mailbox_id', '=', mailboxId).where('slug', '=', slug).executeTakeFirst();
  return created ? toCalendar(created) : undefined;
}

export async function getCalendar(db: Db, calendarId: string): Promise<Calendar | undefined> {
  const row = await db.selectFrom('calendars').selectAll().where('id', '=', calendarId).executeTakeFirst();
  return row ? toCalendar(row) : undefined;
}

export const calendarChange = (calendar: Pick<Calendar, 'id' | 'mailboxId'>, syncSeq: number, objects: string[] = [], deleted = false): MailChange =>
  ({ kind: 'calendar-changed', mailboxId: calendar.mailboxId, calendarId: calendar.id, syncSeq, objects, deleted });

export type CreateCalendarResult = { readonly outcome: 'created'; readonly calendar: Calendar; readonly change: MailChange } | { readonly outcome: 'exists' };

/** MKCALENDAR (RFC 4791 §5.3.1): a new calendar at `slug`, unless something is there already. */
export async function createCalendar(db: Db, mailboxId: string, slug: string, properties: CalendarProperties): Promise<CreateCalendarResult> {
  if (await findCalendar(db, mailboxId, slug)) return { outcome: 'exists' };
  const row: CalendarTable = {
    id: newId(), mailbox_id: mailboxId, slug, display_name: properties.displayName ?? slug, description: properties.description ?? null,
    color: properties.color ?? null, is_default: 0, sync_seq: 0, created_at: nowIso(),
  };
  const inserted = await db.insertInto('calendars').values(row).onConflict((oc) => oc.columns(['mailbox_id', 'slug']).doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { outcome: 'exists' };
  const calendar = toCalendar(row);
  return { outcome: 'created', calendar, change: calendarChange(calendar, 0) };
}

/** PROPPATCH (RFC 4918 §9.2): all or nothing; the ctag moves so that clients re-read the properties. */
export async function updateCalendarProperties(db: Db, calendar: Calendar, properties: CalendarProperties): Promise<MailChange> {
  return db.transaction().execute(async (tx) => {
    const set: Partial<CalendarTable> = {};
    if (properties.displayName !== undefined) set.display_name = properties.displayName;
    if (properties.description !== undefined) set.description = properties.description;
    if (properties.color !== undefined) set.color = properties.color;
    const syncSeq = await nextSyncSeq(tx, calendar.id);
    if (Object.keys(set).length > 0) await tx.updateTable('calendars').set(set).where('id', '=', calendar.id).execute();
    return calendarChange(calendar, syncSeq);
  });
}

/** Removes a calendar and everything in it (DELETE on the collection); the default calendar stays. */
export async function deleteCalendar(db: Db, calendar: Calendar): Promise<MailChange> {
  await db.deleteFrom('calendars').where('id', '=', calendar.id).where('is_default', '=', 0).execute();
  return calendarChange(calendar, calendar.syncSeq + 1, [], true);
}

/** Takes the calendar's next change number; the row lock orders concurrent writers (PostgreSQL). */
export async function nextSyncSeq(tx: Db, calendarId: string): Promise<number> {
  const row = await tx.updateTable('calendars').set((eb) => ({ sync_seq: eb('sync_seq', '+', 1) }))
    .where('id', '=', calendarId).returning('sync_seq').executeTakeFirst();
  if (!row) throw new Error(`calendar ${calendarId} disappeared`);
  return Number(row.sync_seq);
}
