import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newTimeOrderedId, nowIso } from '../../core/ids.js';
import type { CalendarObjectSummary } from '../../protocol/ical/calendar-object.js';
import type { MailChange } from '../change-feed.js';
import type { CalendarObjectTable } from '../sql/calendar-schema.js';
import type { Database } from '../sql/schema.js';
import { calendarChange, nextSyncSeq, type Calendar } from './calendars.js';

type Db = Kysely<Database>;

export interface CalendarObject {
  readonly name: string;
  readonly uid: string;
  /** Strong entity tag, quoted (RFC 9110 §8.8.3). */
  readonly etag: string;
  readonly component: string;
  readonly size: number;
  readonly modseq: number;
  readonly updatedAt: string;
}

export interface CalendarObjectWithData extends CalendarObject { readonly ical: string }

/** If-Match / If-None-Match of the request (RFC 9110 §13.1): a list of entity tags or "*". */
export interface WritePreconditions {
  readonly ifMatch?: '*' | readonly string[];
  readonly ifNoneMatch?: '*' | readonly string[];
}

const metaColumns = ['name', 'uid', 'etag', 'component', 'size', 'modseq', 'updated_at'] as const;

const toObject = (row: Pick<CalendarObjectTable, (typeof metaColumns)[number]>): CalendarObject => ({
  name: row.name, uid: row.uid, etag: row.etag, component: row.component, size: Number(row.size), modseq: Number(row.modseq), updatedAt: row.updated_at,
});

const withData = (row: Pick<CalendarObjectTable, (typeof metaColumns)[number] | 'ical'>): CalendarObjectWithData => ({ ...toObject(row), ical: row.ical });

/** The entity tag of a body: a hash of its bytes, so equal bodies have equal tags. */
export const entityTag = (ical: string): string => `"${createHash('sha256').update(ical).digest('base64url').slice(0, 27)}"`;

export async function getObject(db: Db, calendarId: string, name: string): Promise<CalendarObjectWithData | undefined> {
  const row = await db.selectFrom('calendar_objects').select([...metaColumns, 'ical'])
    .where('calendar_id', '=', calendarId).where('name', '=', name).executeTakeFirst();
  return row ? withData(row) : undefined;
}

/** Every object's metadata (PROPFIND depth 1), by name. */
export async function listObjects(db: Db, calendarId: string): Promise<CalendarObject[]> {
  const rows = await db.selectFrom('calendar_objects').select(metaColumns).where('calendar_id', '=', calendarId).orderBy('name').execute();
  return rows.map(toObject);
}

/** calendar-multiget (RFC 4791 §7.9): the named objects that exist. */
export async function getObjects(db: Db, calendarId: string, names: readonly string[]): Promise<CalendarObjectWithData[]> {
  const found: CalendarObjectWithData[] = [];
  // Chunks keep every statement under SQLite's bound-parameter limit.
  for (let i = 0; i < names.length; i += 500) {
    const rows = await db.selectFrom('calendar_objects').select([...metaColumns, 'ical'])
      .where('calendar_id', '=', calendarId).where('name', 'in', names.slice(i, i + 500)).execute();
    found.push(...rows.map(withData));
  }
  return found;
}

/**
 * Candidates for a calendar-query: objects of the component type whose stored span can overlap
 * [start, end). Spans are exact for single occurrences and bounds for recurring ones, which the
 * caller checks instance by instance (RFC 4791 §9.9).
 */
export interface WindowCandidate extends CalendarObjectWithData {
  readonly recurring: boolean;
  /** The stored span in epoch ms; null = unbounded on that side. */
  readonly firstStart: number | null;
  readonly lastEnd: number | null;
}

export async function objectsInWindow(db: Db, calendarId: string, component: string | null, start: number | null, end: number | null): Promise<WindowCandidate[]> {
  let query = db.selectFrom('calendar_objects').select([...metaColumns, 'ical', 'recurring', 'first_start', 'last_end']).where('calendar_id', '=', calendarId);
  if (component) query = query.where('component', '=', component);
  if (end !== null) {
    const to = new Date(end).toISOString();
    query = query.where((eb) => eb.or([eb('first_start', 'is', null), eb('first_start', '<', to)]));
  }
  if (start !== null) {
    const from = new Date(start).toISOString();
    // >= keeps zero-length occurrences that sit exactly on the start (RFC 4791 §9.9).
    query = query.where((eb) => eb.or([eb('last_end', 'is', null), eb('last_end', '>=', from)]));
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    ...withData(row),
    recurring: row.recurring === 1,
    firstStart: row.first_start === null ? null : Date.parse(row.first_start),
    lastEnd: row.last_end === null ? null : Date.parse(row.last_end),
  }));
}

export type PutObjectResult =
  | { readonly outcome: 'stored'; readonly created: boolean; readonly object: CalendarObject; readonly change: MailChange }
  | { readonly outcome: 'precondition-failed' }
  /** RFC 4791 §5.3.2.1 CALDAV:no-uid-conflict: another resource in the calendar has this UID. */
  | { readonly outcome: 'uid-conflict'; readonly existingName: string };

/** True when the preconditions hold for the current tag (undefined: no resource). */
export function preconditionsHold(current: string | undefined, pre: WritePreconditions): boolean {
  if (pre.ifMatch !== undefined) {
    if (current === undefined) return false;
    if (pre.ifMatch !== '*' && !pre.ifMatch.includes(current)) return false;
  }
  if (pre.ifNoneMatch !== undefined && current !== undefined) {
    if (pre.ifNoneMatch === '*' || pre.ifNoneMatch.includes(current)) return false;
  }
  return true;
}

/**
 * PUT of a calendar object resource: creates or replaces `name`, atomically with its
 * preconditions, the UID rule and the calendar's next change number.
 */
export async function putObject(db: Db, calendar: Calendar, name: string, ical: string, summary: CalendarObjectSummary, pre: WritePreconditions): Promise<PutObjectResult> {
  return db.transaction().execute(async (tx): Promise<PutObjectResult> => {
    // Taking the change number first locks the calendar row, ordering concurrent writers.
    const modseq = await nextSyncSeq(tx, calendar.id);
    const existing = await tx.selectFrom('calendar_objects').select(['id', 'etag', 'uid', 'created_at'])
      .where('calendar_id', '=', calendar.id).where('name', '=', name).executeTakeFirst();
    if (!preconditionsHold(existing?.etag, pre)) throw new Rollback({ outcome: 'precondition-failed' });
    const sameUid = await tx.selectFrom('calendar_objects').select('name')
      .where('calendar_id', '=', calendar.id).where('uid', '=', summary.uid).where('name', '!=', name).executeTakeFirst();
    if (sameUid) throw new Rollback({ outcome: 'uid-conflict', existingName: sameUid.name });
    const now = nowIso();
    const row: CalendarObjectTable = {
      id: existing?.id ?? newTimeOrderedId(), calendar_id: calendar.id, name, uid: summary.uid, etag: entityTag(ical),
      component: summary.component, ical, size: Buffer.byteLength(ical), first_start: summary.firstStart, last_end: summary.lastEnd,
      recurring: summary.recurring ? 1 : 0, modseq, created_at: existing?.created_at ?? now, updated_at: now,
    };
    if (existing) {
      const { id: _id, calendar_id: _calendar, name: _name, created_at: _created, ...changes } = row;
      await tx.updateTable('calendar_objects').set(changes).where('id', '=', existing.id).execute();
    } else {
      await tx.insertInto('calendar_objects').values(row).execute();
      await tx.deleteFrom('calendar_tombstones').where('calendar_id', '=', calendar.id).where('name', '=', name).execute();
    }
    return { outcome: 'stored', created: !existing, object: toObject(row), change: calendarChange(calendar, modseq, [name]) };
  }).catch((err: unknown) => unwrapRollback<PutObjectResult>(err));
}

export type DeleteObjectResult =
  | { readonly outcome: 'deleted'; readonly change: MailChange }
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'precondition-failed' };

/** DELETE of one object; a tombstone tells sync-collection clients it went (RFC 6578 §3.5.2). */
export async function deleteObject(db: Db, calendar: Calendar, name: string, pre: WritePreconditions): Promise<DeleteObjectResult> {
  return db.transaction().execute(async (tx): Promise<DeleteObjectResult> => {
    const modseq = await nextSyncSeq(tx, calendar.id);
    const existing = await tx.selectFrom('calendar_objects').select(['id', 'etag'])
      .where('calendar_id', '=', calendar.id).where('name', '=', name).executeTakeFirst();
    if (!existing) throw new Rollback({ outcome: 'not-found' });
    if (!preconditionsHold(existing.etag, pre)) throw new Rollback({ outcome: 'precondition-failed' });
    await tx.deleteFrom('calendar_objects').where('id', '=', existing.id).execute();
    await tx.insertInto('calendar_tombstones').values({ calendar_id: calendar.id, name, modseq })
      .onConflict((oc) => oc.columns(['calendar_id', 'name']).doUpdateSet({ modseq })).execute();
    return { outcome: 'deleted', change: calendarChange(calendar, modseq, [name], true) };
  }).catch((err: unknown) => unwrapRollback<DeleteObjectResult>(err));
}

/** Carries a refusal out of a transaction so that its change number is not spent. */
class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super('rollback');
  }
}

function unwrapRollback<T>(err: unknown): T {
  if (err instanceof Rollback) return err.result as T;
  throw err;
}
