import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { addMembers } from '../../admin/members.js';
import { NotFound } from '../../core/errors.js';
import { addSharedMailbox, removeSharedMailbox } from '../../admin/shared-mailboxes.js';
import { parseCalendarObject } from '../../protocol/ical/calendar-object.js';
import { automappedCalendarHomes, openCalendarHome } from '../calendar/access.js';
import { createCalendar, ensureDefaultCalendar, findCalendar, getCalendar, listCalendars, type Calendar } from '../calendar/calendars.js';
import { deleteObject, getObject, objectsInWindow, putObject } from '../calendar/objects.js';
import { changesSince } from '../calendar/sync.js';
import { addBob, assertRefusal, orgTest, type OpenStore, type Org } from './harness.js';

const info = 'info@contoso.com';
const ics = (uid: string, start: string, extra: string[] = []): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `DTSTART:${start}`, ...extra, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

/** The shared mailbox info@contoso.com and its default calendar, made on first use. */
async function sharedCalendar(org: Org): Promise<Calendar> {
  await addSharedMailbox(org.admin, { displayName: 'Info', address: info });
  const row = await org.db.selectFrom('recipients').select('id').where('primary_address', '=', info).executeTakeFirstOrThrow();
  const calendar = await findCalendar(org.db, row.id, 'calendar');
  assert.ok(calendar);
  return calendar;
}

const put = (org: Org, calendar: Calendar, name: string, text: string, pre = {}) => putObject(org.db, calendar, name, text, parseCalendarObject(text).summary, pre);

/** The calendar store on every backend: default calendars, objects with ETags, UIDs, change numbers, access. */
export function defineCalendarConformance(name: string, open: OpenStore): void {
  describe(`${name} calendar conformance`, () => {
    orgTest(open, 'every mailbox has one default calendar, created once however often it is asked for', async (org) => {
      const calendar = await sharedCalendar(org);
      await Promise.all([ensureDefaultCalendar(org.db, calendar.mailboxId), ensureDefaultCalendar(org.db, calendar.mailboxId)]);
      const all = await listCalendars(org.db, calendar.mailboxId);
      assert.deepEqual(all.map((c) => [c.slug, c.displayName, c.isDefault, c.syncSeq]), [['calendar', 'Calendar', true, 0]]);
      assert.equal((await createCalendar(org.db, calendar.mailboxId, 'calendar', {})).outcome, 'exists');
      const made = await createCalendar(org.db, calendar.mailboxId, 'projects', { displayName: 'Projects', color: '#112233' });
      assert.equal(made.outcome, 'created');
      assert.deepEqual((await listCalendars(org.db, calendar.mailboxId)).map((c) => c.slug), ['calendar', 'projects']);
    });

    orgTest(open, 'objects: strong ETags, preconditions, one UID per calendar, and a change number per write', async (org) => {
      const calendar = await sharedCalendar(org);
      const first = await put(org, calendar, 'a.ics', ics('a', '20260105T090000Z'));
      assert.ok(first.outcome === 'stored' && first.created);
      assert.equal(first.object.modseq, 1);
      assert.match(first.object.etag, /^"[A-Za-z0-9_-]+"$/);
      assert.deepEqual(await put(org, calendar, 'a.ics', ics('a', '20260106T090000Z'), { ifNoneMatch: '*' }), { outcome: 'precondition-failed' });
      assert.deepEqual(await put(org, calendar, 'a.ics', ics('a', '20260106T090000Z'), { ifMatch: ['"stale"'] }), { outcome: 'precondition-failed' });
      assert.deepEqual(await put(org, calendar, 'b.ics', ics('a', '20260106T090000Z')), { outcome: 'uid-conflict', existingName: 'a.ics' });
      assert.equal((await getCalendar(org.db, calendar.id))!.syncSeq, 1, 'refusals spend no change number');
      const second = await put(org, calendar, 'a.ics', ics('a', '20260107T090000Z'), { ifMatch: [first.object.etag] });
      assert.ok(second.outcome === 'stored' && !second.created && second.object.modseq === 2 && second.object.etag !== first.object.etag);
      assert.equal((await getObject(org.db, calendar.id, 'a.ics'))!.ical, ics('a', '20260107T090000Z'));
      assert.deepEqual(await deleteObject(org.db, calendar, 'a.ics', { ifMatch: [first.object.etag] }), { outcome: 'precondition-failed' });
      assert.deepEqual(await deleteObject(org.db, calendar, 'zzz.ics', {}), { outcome: 'not-found' });
      const deleted = await deleteObject(org.db, calendar, 'a.ics', {});
      assert.equal(deleted.outcome, 'deleted');
      if (deleted.outcome === 'deleted') assert.deepEqual(deleted.change, { kind: 'calendar-changed', mailboxId: calendar.mailboxId, calendarId: calendar.id, syncSeq: 3, objects: ['a.ics'], deleted: true });
    });

    orgTest(open, 'changes since a token: updates, removals, truncation and concurrent writers', async (org) => {
      const calendar = await sharedCalendar(org);
      for (const n of [1, 2, 3]) await put(org, calendar, `e${n}.ics`, ics(`e${n}`, '20260105T090000Z'));
      const initial = await changesSince(org.db, calendar, 0, null);
      assert.ok(initial.outcome === 'changes');
      assert.deepEqual([initial.changes.syncSeq, initial.changes.changed.map((c) => c.name), initial.changes.removed], [3, ['e1.ics', 'e2.ics', 'e3.ics'], []]);
      await put(org, calendar, 'e2.ics', ics('e2', '20260106T090000Z'));
      await deleteObject(org.db, calendar, 'e1.ics', {});
      const since = await changesSince(org.db, calendar, 3, null);
      assert.ok(since.outcome === 'changes');
      assert.deepEqual([since.changes.syncSeq, since.changes.changed.map((c) => c.name), since.changes.removed], [5, ['e2.ics'], ['e1.ics']]);
      const truncated = await changesSince(org.db, calendar, 3, 1);
      assert.ok(truncated.outcome === 'changes');
      assert.deepEqual([truncated.changes.syncSeq, truncated.changes.truncated, truncated.changes.changed.map((c) => c.name)], [4, true, ['e2.ics']]);
      assert.deepEqual(await changesSince(org.db, calendar, 99, null), { outcome: 'invalid-token' });
      await Promise.all(Array.from({ length: 8 }, (_, n) => put(org, calendar, `c${n}.ics`, ics(`c${n}`, '20260105T090000Z'))));
      const after = await changesSince(org.db, calendar, 5, null);
      assert.ok(after.outcome === 'changes');
      assert.equal(after.changes.syncSeq, 13, 'eight concurrent writes took eight distinct change numbers');
      assert.equal(after.changes.changed.length, 8);
    });

    orgTest(open, 'time-range candidates use the stored spans; endless rules are always candidates after their start', async (org) => {
      const calendar = await sharedCalendar(org);
      await put(org, calendar, 'jan.ics', ics('jan', '20260105T090000Z', ['DTEND:20260105T100000Z']));
      await put(org, calendar, 'weekly.ics', ics('weekly', '20260105T090000Z', ['RRULE:FREQ=WEEKLY']));
      await put(org, calendar, 'task.ics', ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'BEGIN:VTODO', 'UID:t', 'END:VTODO', 'END:VCALENDAR', ''].join('\r\n'));
      const names = async (component: string | null, from: string, to: string) =>
        (await objectsInWindow(org.db, calendar.id, component, Date.parse(from), Date.parse(to))).map((o) => o.name).sort();
      assert.deepEqual(await names('VEVENT', '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z'), ['jan.ics', 'weekly.ics']);
      assert.deepEqual(await names('VEVENT', '2027-01-05T00:00:00Z', '2027-01-06T00:00:00Z'), ['weekly.ics']);
      assert.deepEqual(await names('VEVENT', '2025-01-05T00:00:00Z', '2025-01-06T00:00:00Z'), []);
      assert.deepEqual(await names('VTODO', '2025-01-05T00:00:00Z', '2025-01-06T00:00:00Z'), ['task.ics'], 'a task without dates matches any range');
    });

    orgTest(open, 'access follows the grants: members open it, others are told it does not exist; automapped homes; removal cascades', async (org) => {
      const calendar = await sharedCalendar(org);
      await addBob(org);
      const bob = await org.as('bob@contoso.com', 'Bob-pass-123');
      await assertRefusal(() => openCalendarHome(org.db, bob.actor, info), NotFound, /wasn't found/);
      assert.deepEqual(await automappedCalendarHomes(org.db, bob.actor), []);
      await addMembers(org.admin, info, ['bob@contoso.com']);
      assert.equal((await openCalendarHome(org.db, bob.actor, info)).level, 'full');
      assert.deepEqual((await automappedCalendarHomes(org.db, bob.actor)).map((h) => [h.mailbox.primaryAddress, h.level]), [[info, 'full']]);
      await put(org, calendar, 'x.ics', ics('x', '20260105T090000Z'));
      await removeSharedMailbox(org.admin, info);
      assert.equal(await getCalendar(org.db, calendar.id), undefined, 'the calendar goes with its mailbox');
      assert.equal((await org.db.selectFrom('calendar_objects').select('id').execute()).length, 0);
    });
  });
}
