import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, createDAVClient, type DAVCalendar, type DAVObject } from 'tsdav';
import { removeDataDir } from './harness.js';
import { basic, dav, ics, people, shared, startCalendarOrg, type CalendarOrg, type Person } from './caldav-helpers.js';

type Client = Awaited<ReturnType<typeof createDAVClient>>;

/** tsdav, a real CalDAV client, configured with nothing but the server, an address and a password. */
describe('CalDAV with tsdav: discovery, automapping, CRUD, queries and sync', () => {
  let org: CalendarOrg;
  const clients = new Map<string, Client>();
  const client = async (who: Person): Promise<Client> => {
    const existing = clients.get(who.address);
    if (existing) return existing;
    const created = await createDAVClient({ serverUrl: org.server.url, credentials: { username: who.address, password: who.password }, authMethod: 'Basic', defaultAccountType: 'caldav' });
    clients.set(who.address, created);
    return created;
  };
  const calendarsOf = async (who: Person): Promise<DAVCalendar[]> => (await client(who)).fetchCalendars();
  const sharedCalendarOf = async (who: Person): Promise<DAVCalendar> => {
    const found = (await calendarsOf(who)).find((c) => c.url.includes(`shared~${shared}~calendar`));
    assert.ok(found, `${who.address} does not see the shared calendar`);
    return found;
  };

  before(async () => {
    org = await startCalendarOrg();
  });
  after(async () => {
    await org.server.stop();
    removeDataDir(org.server.dataDir);
  });

  test('service discovery: /.well-known/caldav leads to the principal and its calendar home', async () => {
    const redirect = await dav(org.server, null, 'GET', '/.well-known/caldav');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/dav/');
    const propfind = await dav(org.server, people.alice, 'PROPFIND', '/.well-known/caldav', '<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>', { depth: '0' });
    assert.equal(propfind.status, 307, 'PROPFIND is redirected with its method and body kept');
    const account = await createAccount({ account: { serverUrl: org.server.url, accountType: 'caldav' }, headers: { authorization: basic(people.alice) } });
    assert.equal(account.principalUrl, `${org.server.url}/dav/principals/alice@contoso.com/`);
    assert.equal(account.homeUrl, `${org.server.url}/dav/calendars/alice@contoso.com/`);
  });

  test('automapping: members see the shared calendar beside their own; others do not', async () => {
    const names = async (who: Person) => (await calendarsOf(who)).map((c) => [new URL(c.url).pathname, c.displayName]);
    const own = (who: Person) => [`/dav/calendars/${who.address}/calendar/`, 'Calendar'];
    const proxy = (who: Person) => [`/dav/calendars/${who.address}/shared~${shared}~calendar/`, 'Info – Calendar'];
    assert.deepEqual(await names(people.alice), [own(people.alice), proxy(people.alice)], 'direct member');
    assert.deepEqual(await names(people.bob), [own(people.bob), proxy(people.bob)], 'member through a security group');
    assert.deepEqual(await names(people.carol), [own(people.carol), proxy(people.carol)], 'read-only member');
    assert.deepEqual(await names(people.frank), [own(people.frank), proxy(people.frank)], 'no-delete member');
    assert.deepEqual(await names(people.dave), [own(people.dave)], 'a non-member sees only their own calendar');
    const components = (await sharedCalendarOf(people.alice)).components;
    assert.deepEqual(components, ['VEVENT', 'VTODO', 'VJOURNAL']);
  });

  test('create, read, update and delete an event with strong ETags and preconditions', async () => {
    const alice = await client(people.alice);
    const [calendar] = await alice.fetchCalendars();
    assert.ok(calendar);
    const created = await alice.createCalendarObject({ calendar, filename: 'lunch.ics', iCalString: ics({ uid: 'lunch-1', start: '20260302T120000Z', end: '20260302T130000Z', summary: 'Lunch' }) });
    assert.equal(created.status, 201);
    const etag = created.headers.get('etag');
    assert.match(etag ?? '', /^"[^"]+"$/, 'a strong ETag');

    const [read] = await alice.fetchCalendarObjects({ calendar, objectUrls: [`${calendar.url}lunch.ics`] });
    assert.equal(read?.etag, etag);
    assert.match(String(read?.data), /SUMMARY:Lunch/);

    const moved = ics({ uid: 'lunch-1', start: '20260302T130000Z', end: '20260302T140000Z', summary: 'Lunch' });
    const updated = await alice.updateCalendarObject({ calendarObject: { url: `${calendar.url}lunch.ics`, data: moved, etag: etag! } });
    assert.equal(updated.status, 204);
    const newTag = updated.headers.get('etag');
    assert.notEqual(newTag, etag);

    const stale = await alice.updateCalendarObject({ calendarObject: { url: `${calendar.url}lunch.ics`, data: moved, etag: etag! } });
    assert.equal(stale.status, 412, 'If-Match with an old ETag fails');
    const again = await dav(org.server, people.alice, 'PUT', new URL(`${calendar.url}lunch.ics`).pathname, moved, { 'content-type': 'text/calendar', 'if-none-match': '*' });
    assert.equal(again.status, 412, 'If-None-Match: * refuses to overwrite');
    assert.equal((await alice.deleteCalendarObject({ calendarObject: { url: `${calendar.url}lunch.ics`, etag: etag! } })).status, 412);

    const get = await dav(org.server, people.alice, 'GET', new URL(`${calendar.url}lunch.ics`).pathname);
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('etag'), newTag);
    assert.equal(get.text, moved, 'stored byte for byte');
    assert.equal((await dav(org.server, people.alice, 'GET', new URL(`${calendar.url}lunch.ics`).pathname, undefined, { 'if-none-match': newTag! })).status, 304);

    assert.equal((await alice.deleteCalendarObject({ calendarObject: { url: `${calendar.url}lunch.ics`, etag: newTag! } })).status, 204);
    assert.equal((await dav(org.server, people.alice, 'GET', new URL(`${calendar.url}lunch.ics`).pathname)).status, 404);
  });

  test('two members of the shared calendar see each other’s changes on their next sync', async () => {
    const alice = await client(people.alice);
    const bob = await client(people.bob);
    const aliceView = await sharedCalendarOf(people.alice);
    const bobView = await sharedCalendarOf(people.bob);
    assert.equal(aliceView.syncToken, bobView.syncToken, 'one calendar, one sync token, whichever URL reaches it');

    const created = await alice.createCalendarObject({ calendar: aliceView, filename: 'planning.ics', iCalString: ics({ uid: 'planning', start: '20260310T090000Z', end: '20260310T100000Z', summary: 'Planning' }) });
    assert.equal(created.status, 201);
    // Each client keeps its state (objects and sync token) from one sync to the next, as a calendar app does.
    const sync = async (who: Client, state: DAVCalendar) => who.smartCollectionSync({ collection: { ...state, objectMultiGet: who.calendarMultiGet }, method: 'webdav' });
    const names = (objects: DAVObject[] | undefined) => (objects ?? []).map((o) => new URL(o.url).pathname.split('/').at(-1));
    const summaryOf = (state: DAVCalendar, name: string) => /SUMMARY:(.*)\r?\n/.exec(String(state.objects?.find((o) => o.url.endsWith(name))?.data))?.[1];
    let aliceState = await sync(alice, aliceView);
    assert.deepEqual(names(aliceState.objects), ['planning.ics']);

    assert.equal((await bob.isCollectionDirty({ collection: bobView })).isDirty, true, 'the ctag moved');
    let bobState = await sync(bob, bobView);
    assert.deepEqual(names(bobState.objects), ['planning.ics']);
    assert.equal(new URL(bobState.objects![0]!.url).pathname, `/dav/calendars/bob@contoso.com/shared~${shared}~calendar/planning.ics`);
    assert.equal(summaryOf(bobState, 'planning.ics'), 'Planning');

    // Bob moves it an hour later; Alice's next sync has the update.
    const planning = bobState.objects![0]!;
    const moved = ics({ uid: 'planning', start: '20260310T100000Z', end: '20260310T110000Z', summary: 'Planning (moved)' });
    assert.equal((await bob.updateCalendarObject({ calendarObject: { url: planning.url, data: moved, etag: planning.etag! } })).status, 204);
    assert.equal((await alice.isCollectionDirty({ collection: aliceState })).isDirty, true);
    aliceState = await sync(alice, aliceState);
    assert.equal(summaryOf(aliceState, 'planning.ics'), 'Planning (moved)');

    // Alice deletes it; Bob's next sync drops it.
    const current = aliceState.objects![0]!;
    assert.equal((await alice.deleteCalendarObject({ calendarObject: { url: current.url, etag: current.etag! } })).status, 204);
    bobState = await sync(bob, bobState);
    assert.deepEqual(names(bobState.objects), []);
  });

  test('time-range queries expand RRULE, EXDATE, RDATE, overrides and VTIMEZONE', async () => {
    const alice = await client(people.alice);
    const [calendar] = await alice.fetchCalendars();
    assert.ok(calendar);
    const vtimezone = [
      'BEGIN:VTIMEZONE', 'TZID:Europe/Berlin',
      'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT',
      'BEGIN:STANDARD', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD',
      'END:VTIMEZONE',
    ];
    const events: Record<string, string> = {
      // Weekly on Mondays from January, every week of the year: matches any week.
      'weekly.ics': ics({ uid: 'weekly', start: '20260105T090000Z', end: '20260105T093000Z', extra: ['RRULE:FREQ=WEEKLY'] }),
      // Daily for five days from 1 June, 2 June excluded, plus an extra date in July.
      'daily.ics': ics({ uid: 'daily', start: '20260601T080000Z', end: '20260601T090000Z', extra: ['RRULE:FREQ=DAILY;COUNT=5', 'EXDATE:20260602T080000Z', 'RDATE:20260715T080000Z'] }),
      // Monthly on the 1st from January; the April occurrence is moved to 20 May.
      'monthly.ics': ics({
        uid: 'monthly', start: '20260101T150000Z', end: '20260101T160000Z', extra: ['RRULE:FREQ=MONTHLY;COUNT=6'],
        more: ['BEGIN:VEVENT', 'UID:monthly', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID:20260401T150000Z', 'DTSTART:20260520T150000Z', 'DTEND:20260520T160000Z', 'SUMMARY:moved', 'END:VEVENT'],
      }),
      // 23:30 in Berlin on 1 July is 21:30 UTC (summer time): inside a range that ends at 22:00 UTC.
      'berlin.ics': ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Mailroom tests//EN', ...vtimezone, 'BEGIN:VEVENT', 'UID:berlin', 'DTSTAMP:20260101T000000Z',
        'DTSTART;TZID=Europe/Berlin:20260701T233000', 'DTEND;TZID=Europe/Berlin:20260701T234500', 'SUMMARY:late', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'),
      'single.ics': ics({ uid: 'single', start: '20260602T120000Z', end: '20260602T130000Z' }),
    };
    for (const [filename, iCalString] of Object.entries(events)) {
      assert.equal((await alice.createCalendarObject({ calendar, filename, iCalString })).status, 201, filename);
    }
    const found = async (start: string, end: string) =>
      (await alice.fetchCalendarObjects({ calendar, timeRange: { start, end } })).map((o) => new URL(o.url).pathname.split('/').at(-1)).sort();

    assert.deepEqual(await found('2026-06-02T00:00:00Z', '2026-06-03T00:00:00Z'), ['single.ics'], 'EXDATE removes 2 June; no Monday; single event');
    assert.deepEqual(await found('2026-06-03T00:00:00Z', '2026-06-04T00:00:00Z'), ['daily.ics']);
    assert.deepEqual(await found('2026-06-06T00:00:00Z', '2026-06-07T00:00:00Z'), [], 'COUNT=5 ends on 5 June');
    assert.deepEqual(await found('2026-07-15T00:00:00Z', '2026-07-16T00:00:00Z'), ['daily.ics'], 'RDATE adds 15 July');
    assert.deepEqual(await found('2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z'), [], 'the April occurrence moved away');
    assert.deepEqual(await found('2026-05-20T00:00:00Z', '2026-05-21T00:00:00Z'), ['monthly.ics'], 'to 20 May');
    assert.deepEqual(await found('2026-07-01T21:00:00Z', '2026-07-01T22:00:00Z'), ['berlin.ics'], 'VTIMEZONE applied');
    assert.deepEqual(await found('2026-07-01T22:00:00Z', '2026-07-01T23:00:00Z'), []);
    assert.deepEqual(await found('2027-03-01T00:00:00Z', '2027-03-02T00:00:00Z'), ['weekly.ics'], 'an endless rule, a year on (a Monday)');
    assert.deepEqual(await found('2027-03-02T00:00:00Z', '2027-03-03T00:00:00Z'), [], 'not on a Tuesday');

    // CALDAV:expand returns the instances themselves, in UTC, with RECURRENCE-ID.
    const expanded = await alice.fetchCalendarObjects({ calendar, timeRange: { start: '2026-06-01T00:00:00Z', end: '2026-06-05T00:00:00Z' }, expand: true });
    const daily = expanded.find((o) => o.url.endsWith('daily.ics'));
    assert.deepEqual([...String(daily?.data).matchAll(/RECURRENCE-ID:(\S+)/g)].map((m) => m[1]), ['20260601T080000Z', '20260603T080000Z', '20260604T080000Z']);
    assert.doesNotMatch(String(daily?.data), /RRULE|EXDATE/);
  });
});
