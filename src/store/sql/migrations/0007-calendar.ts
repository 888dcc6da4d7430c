import type { Kysely } from 'kysely';

/**
 * Calendars (CalDAV, RFC 4791): collections per mailbox, the iCalendar objects in them, and the
 * tombstones of deleted objects that sync-collection (RFC 6578) reports. `sync_seq` is the
 * collection's change counter: every change stamps the object (or tombstone) with the next value,
 * and the sync token and ctag are read from it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('calendars')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('color', 'text')
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sync_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('calendars_mailbox_slug', ['mailbox_id', 'slug'])
    .execute();

  await db.schema.createTable('calendar_objects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('ical', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    // The span the object's occurrences cover, UTC ISO-8601; null = unbounded on that side.
    .addColumn('first_start', 'text')
    .addColumn('last_end', 'text')
    .addColumn('recurring', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('modseq', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('calendar_objects_name', ['calendar_id', 'name'])
    .addUniqueConstraint('calendar_objects_uid', ['calendar_id', 'uid'])
    .execute();
  await db.schema.createIndex('calendar_objects_modseq').on('calendar_objects').columns(['calendar_id', 'modseq']).execute();
  await db.schema.createIndex('calendar_objects_span').on('calendar_objects').columns(['calendar_id', 'first_start']).execute();

  await db.schema.createTable('calendar_tombstones')
    .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('modseq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_tombstones_pk', ['calendar_id', 'name'])
    .execute();
  await db.schema.createIndex('calendar_tombstones_modseq').on('calendar_tombstones').columns(['calendar_id', 'modseq']).execute();
}
