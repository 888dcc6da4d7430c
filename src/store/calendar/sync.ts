import type { Kysely } from 'kysely';
import type { Database } from '../sql/schema.js';
import { getCalendar, type Calendar } from './calendars.js';

type Db = Kysely<Database>;

export interface SyncChanges {
  /** The change number the client holds once it has applied these changes. */
  readonly syncSeq: number;
  readonly changed: readonly { readonly name: string; readonly etag: string }[];
  readonly removed: readonly string[];
  /** True when `limit` cut the list short; syncSeq then continues where it stopped (RFC 6578 §3.6). */
  readonly truncated: boolean;
}

export type SyncResult = { readonly outcome: 'changes'; readonly changes: SyncChanges } | { readonly outcome: 'invalid-token' };

/**
 * RFC 6578 §3.2: what changed in the calendar after change number `since` (0: an initial sync,
 * every member and no removals), oldest first. Changes are read up to the calendar's change
 * number as read first, so that a write committing meanwhile is reported next time, not half now.
 */
export async function changesSince(db: Db, calendar: Pick<Calendar, 'id'>, since: number, limit: number | null): Promise<SyncResult> {
  const current = await getCalendar(db, calendar.id);
  if (!current || since < 0 || since > current.syncSeq) return { outcome: 'invalid-token' };
  const upTo = current.syncSeq;
  const objects = await db.selectFrom('calendar_objects').select(['name', 'etag', 'modseq'])
    .where('calendar_id', '=', calendar.id).where('modseq', '>', since).where('modseq', '<=', upTo).orderBy('modseq').execute();
  const tombstones = since === 0 ? [] : await db.selectFrom('calendar_tombstones').select(['name', 'modseq'])
    .where('calendar_id', '=', calendar.id).where('modseq', '>', since).where('modseq', '<=', upTo).orderBy('modseq').execute();
  const all = [
    ...objects.map((o) => ({ name: o.name, etag: o.etag as string | null, modseq: Number(o.modseq) })),
    ...tombstones.map((t) => ({ name: t.name, etag: null, modseq: Number(t.modseq) })),
  ].sort((a, b) => a.modseq - b.modseq);
  const truncated = limit !== null && all.length > limit;
  const taken = truncated ? all.slice(0, limit) : all;
  return {
    outcome: 'changes',
    changes: {
      syncSeq: truncated ? taken.at(-1)?.modseq ?? since : upTo,
      changed: taken.filter((c) => c.etag !== null).map((c) => ({ name: c.name, etag: c.etag! })),
      removed: taken.filter((c) => c.etag === null).map((c) => c.name),
      truncated,
    },
  };
}
